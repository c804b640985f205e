/*
 * The subcommands of singdiv. Each takes argv with argv[0] the subcommand
 * name, prints its report on stdout and returns the exit status.
 */
#ifndef SINGDIV_TOOLS_COMMANDS_H
#define SINGDIV_TOOLS_COMMANDS_H

int
cli_cmd_compare(int argc, char **argv);

int
cli_cmd_text(int argc, char **argv);

int
cli_cmd_demo(int argc, char **argv);

int
cli_cmd_samples(int argc, char **argv);

int
cli_cmd_smooth(int argc, char **argv);

#endif /* SINGDIV_TOOLS_COMMANDS_H */
