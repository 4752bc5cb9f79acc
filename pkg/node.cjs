// CommonJS entry: the same module instance as `import` (Node >= 20.19 loads ESM with require),
// so both share one provider.
module.exports = require('./dist/node.js');
