/** The `srbnas` command. Subcommands are registered in ./commands. */
import { COMMANDS } from './commands';

const USAGE = `usage: srbnas <command> [options]

commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(14)} ${c.summary}`)
  .join('\n')}

Run \`srbnas <command> --help\` for the options of one command.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 1;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(`srbnas: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    // One clear line for the user; the stack only when asked for.
    console.error(`srbnas ${name}: ${e instanceof Error ? e.message : String(e)}`);
    if (process.env.SRBNAS_DEBUG && e instanceof Error) console.error(e.stack);
    return 1;
  }
}
