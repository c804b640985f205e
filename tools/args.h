/*
 * Command-line parsing for the singdiv subcommands.
 *
 * Long options only (plus -h), written "--name VALUE" or "--name=VALUE";
 * "--" ends the options and "-" alone is a file name (stdin). Options and
 * file names may come in any order. cli_arg() returns the last value of a
 * repeated option, and cli_arg_each() visits all of its values.
 */
#ifndef SINGDIV_TOOLS_ARGS_H
#define SINGDIV_TOOLS_ARGS_H

#include <stddef.h>
#include <stdio.h>

#include <singdiv/singdiv.h>

/* Maximum number of options of one subcommand, and of file names. */
#define CLI_MAX_OPTIONS 24
#define CLI_MAX_FILES 4

typedef struct cli_option {
    const char *name;       /* without the leading "--" */
    const char *value_name; /* for the help text, NULL for a flag */
    const char *help;
} cli_option;

/* A subcommand's interface, also used to print its help. */
typedef struct cli_command_spec {
    const char *name;
    const char *usage;       /* the arguments after "singdiv NAME" */
    const char *description; /* paragraphs printed after the usage line */
    const cli_option *options;
    size_t option_count;
    size_t min_files;
    size_t max_files;
} cli_command_spec;

/* values[i] belongs to options[i]: NULL when absent, "" for a flag that is set. */
typedef struct cli_args {
    const char *values[CLI_MAX_OPTIONS];
    const char *files[CLI_MAX_FILES];
    size_t file_count;
    int help;
    int argc;    /* the parsed command line, for cli_arg_each() */
    char **argv;
} cli_args;

/*
 * Parses argv[1..argc) (argv[0] is the subcommand name) against spec.
 * Returns 0, or CLI_EXIT_USAGE after printing a message and a hint to use
 * --help. With --help or -h it sets out->help, prints nothing and skips the
 * file count check.
 */
int
cli_parse_args(const cli_command_spec *spec, int argc, char **argv, cli_args *out);

/* Prints the usage line, description and options of spec. */
void
cli_print_help(FILE *out, const cli_command_spec *spec);

/* Returns the value of the option called name, or NULL when it was not given. */
const char *
cli_arg(const cli_command_spec *spec, const cli_args *args, const char *name);

/*
 * Calls visit(value, context) on each value of the option called name, in
 * command-line order, and stops at the first call that returns nonzero.
 * args must come from a successful cli_parse_args(). Returns 0 or that
 * nonzero result.
 */
int
cli_arg_each(const cli_command_spec *spec, const cli_args *args, const char *name,
             int (*visit)(const char *value, void *context), void *context);

/* Returns 1 if the flag called name was given, else 0. */
int
cli_flag(const cli_command_spec *spec, const cli_args *args, const char *name);

/*
 * Parses the value of option name as a finite double in [min, max] into
 * *out, leaving *out alone when the option is absent. Returns 0, or
 * CLI_EXIT_USAGE after printing a message.
 */
int
cli_arg_double(const cli_command_spec *spec, const cli_args *args, const char *name,
               double min, double max, double *out);

/* As cli_arg_double(), for a whole number in [min, max]. */
int
cli_arg_count(const cli_command_spec *spec, const cli_args *args, const char *name,
              unsigned long long min, unsigned long long max, unsigned long long *out);

/*
 * Fills *opt from --base, --normalize and --tolerance. --base accepts "e"
 * or a number > 0 other than 1. Returns 0 or CLI_EXIT_USAGE like
 * cli_arg_double().
 */
int
cli_args_options(const cli_command_spec *spec, const cli_args *args, singdiv_options *opt);

/* Returns "nats", "bits" or "log base B units" for the base in opt, in a static buffer. */
const char *
cli_unit_of(const singdiv_options *opt);

#endif /* SINGDIV_TOOLS_ARGS_H */
