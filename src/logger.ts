/** The logging the app needs; Probot's pino logger and the console-backed one below both fit. */
export type Logger = {
  debug: (message: string) => void;
  info: (message: string) => void;
  warn: (message: string) => void;
  error: (message: string) => void;
};

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Log lines on stderr, so stdout stays clean for `--json` output. */
export function createStderrLogger(options: { debug?: boolean } = {}): Logger {
  const write = (level: string) => (message: string) => process.stderr.write(`${level} ${message}\n`);
  return {
    debug: options.debug ? write("debug") : () => {},
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
  };
}
