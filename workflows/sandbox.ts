/**
 * Loaded into the workflow sandbox before the SDK freezes its globals (bundleCaseWorkflows,
 * `preloadModules`): settings of the sandbox's own built-ins.
 *
 * Stack traces two frames deep. The SDK captures, source-maps and keeps the creation stack of every
 * promise workflow code creates (for the stack-trace query); at V8's default of ten frames that was
 * about a tenth of the worker's CPU per case (issue 14). Two frames still name where a workflow
 * error was thrown and what called it.
 */
Error.stackTraceLimit = 2;
