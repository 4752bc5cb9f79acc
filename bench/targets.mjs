// Per mode: the unit of its table and edgetrace's target (the goals in /work/shared/DESIGN.md),
// shared by bench/run.mjs and the runtime harnesses in bench/runtimes/.

export const UNITS = {
  processor: 'ns/span',
  body: 'ns/span',
  agent: 'ns/span',
  'agent-body': 'ns/span',
  http: 'ns/span',
  cold: 'ms',
  disabled: 'ns/span',
  size: 'KB',
};

export const TARGETS = {
  processor: { text: 'edgetrace ≤ 1/2 of OTel', maxRatio: 1 / 2 },
  body: { text: 'edgetrace ≤ 1/3 of OTel', maxRatio: 1 / 3 },
  http: { text: 'edgetrace ≤ 1/3 of OTel', maxRatio: 1 / 3 },
  cold: { text: 'edgetrace ≤ 1/5 of OTel', maxRatio: 1 / 5 },
  size: { text: 'edgetrace ≤ 100 KB', max: 100 },
};
