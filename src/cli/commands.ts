export interface Command {
  summary: string;
  run: (argv: string[]) => Promise<number>;
}

/** All subcommands; each lives in its own file and is loaded lazily (tfjs start-up is slow). */
export const COMMANDS: Record<string, Command> = {};
