// Imports the installed package on a page whose CSP forbids WebAssembly and publishes the error
// it got (a dynamic import, so the error and its `cause` can be inspected).
try {
  await import('/target/fixtures/chromium/node_modules/edgetrace/dist/browser.js');
  globalThis.edgetraceResult = { imported: true };
} catch (error) {
  globalThis.edgetraceResult = {
    name: error?.name,
    message: error?.message,
    cause: error?.cause === undefined ? undefined : `${error.cause?.name}: ${error.cause?.message}`,
    causeIsCompileError: error?.cause instanceof WebAssembly.CompileError,
  };
}
