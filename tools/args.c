/*
 * Command-line parsing.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "diag.h"

static int
usage_error(const cli_command_spec *spec)
{
    fprintf(stderr, "Try 'singdiv %s --help' for more information.\n", spec->name);
    return CLI_EXIT_USAGE;
}

static long
find_option(const cli_command_spec *spec, const char *name, size_t length)
{
    for (size_t i = 0; i < spec->option_count; i++) {
        if (strlen(spec->options[i].name) == length
            && strncmp(spec->options[i].name, name, length) == 0) {
            return (long)i;
        }
    }
    return -1;
}

/* The option whose values cli_arg_each() visits while the command line is parsed again. */
typedef struct option_visitor {
    long option;
    int (*visit)(const char *value, void *context);
    void *context;
    int result;
} option_visitor;

/* Parses "--name[=value]" at argv[*i], taking the value from argv[*i + 1] when needed. */
static int
parse_option(const cli_command_spec *spec, int argc, char **argv, int *i, cli_args *out,
             option_visitor *visitor)
{
    const char *name = argv[*i] + 2;
    const char *equals = strchr(name, '=');
    size_t length = equals != NULL ? (size_t)(equals - name) : strlen(name);
    long index = find_option(spec, name, length);

    if (index < 0) {
        cli_error("%s: unknown option '--%.*s'", spec->name, (int)length, name);
        return usage_error(spec);
    }
    if (spec->options[index].value_name == NULL) {
        if (equals != NULL) {
            cli_error("%s: option '--%s' takes no value", spec->name, spec->options[index].name);
            return usage_error(spec);
        }
        out->values[index] = "";
    } else if (equals != NULL) {
        out->values[index] = equals + 1;
    } else if (*i + 1 < argc) {
        out->values[index] = argv[++*i];
    } else {
        cli_error("%s: option '--%s' needs a value (%s)", spec->name, spec->options[index].name,
                  spec->options[index].value_name);
        return usage_error(spec);
    }
    if (visitor != NULL && visitor->option == index && visitor->result == 0) {
        visitor->result = visitor->visit(out->values[index], visitor->context);
    }
    return 0;
}

static int
add_file(const cli_command_spec *spec, const char *file, cli_args *out)
{
    if (out->file_count == spec->max_files || out->file_count == CLI_MAX_FILES) {
        cli_error("%s: unexpected argument '%s' (at most %zu file%s)", spec->name, file,
                  spec->max_files, spec->max_files == 1 ? "" : "s");
        return usage_error(spec);
    }
    out->files[out->file_count++] = file;
    return 0;
}

static int
parse_command_line(const cli_command_spec *spec, int argc, char **argv, cli_args *out,
                   option_visitor *visitor)
{
    int only_files = 0;
    int status = 0;

    memset(out, 0, sizeof *out);
    out->argc = argc;
    out->argv = argv;
    for (int i = 1; i < argc && status == 0; i++) {
        const char *a = argv[i];

        if (only_files || strcmp(a, "-") == 0 || a[0] != '-') {
            status = add_file(spec, a, out);
        } else if (strcmp(a, "--") == 0) {
            only_files = 1;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            out->help = 1;
        } else if (a[1] == '-') {
            status = parse_option(spec, argc, argv, &i, out, visitor);
        } else {
            cli_error("%s: unknown option '%s'", spec->name, a);
            status = usage_error(spec);
        }
    }
    if (status == 0 && !out->help && out->file_count < spec->min_files) {
        cli_error("%s: expected %zu file%s, got %zu", spec->name, spec->min_files,
                  spec->min_files == 1 ? "" : "s", out->file_count);
        status = usage_error(spec);
    }
    return status;
}

int
cli_parse_args(const cli_command_spec *spec, int argc, char **argv, cli_args *out)
{
    return parse_command_line(spec, argc, argv, out, NULL);
}

void
cli_print_help(FILE *out, const cli_command_spec *spec)
{
    fprintf(out, "Usage: singdiv %s %s\n\n%s\n\nOptions:\n", spec->name, spec->usage,
            spec->description);
    for (size_t i = 0; i < spec->option_count; i++) {
        const cli_option *o = &spec->options[i];
        char left[64];

        snprintf(left, sizeof left, "--%s%s%s", o->name, o->value_name != NULL ? " " : "",
                 o->value_name != NULL ? o->value_name : "");
        fprintf(out, "  %-22s %s\n", left, o->help);
    }
    fprintf(out, "  %-22s %s\n", "-h, --help", "show this help and exit");
}

const char *
cli_arg(const cli_command_spec *spec, const cli_args *args, const char *name)
{
    long index = find_option(spec, name, strlen(name));

    return index < 0 ? NULL : args->values[index];
}

int
cli_arg_each(const cli_command_spec *spec, const cli_args *args, const char *name,
             int (*visit)(const char *value, void *context), void *context)
{
    option_visitor visitor = {find_option(spec, name, strlen(name)), visit, context, 0};
    cli_args again;

    if (visitor.option < 0) {
        return 0;
    }
    /* The command line parsed once without error, so parsing it again prints nothing. */
    (void)parse_command_line(spec, args->argc, args->argv, &again, &visitor);
    return visitor.result;
}

int
cli_flag(const cli_command_spec *spec, const cli_args *args, const char *name)
{
    return cli_arg(spec, args, name) != NULL;
}

int
cli_arg_double(const cli_command_spec *spec, const cli_args *args, const char *name,
               double min, double max, double *out)
{
    const char *text = cli_arg(spec, args, name);
    char *end;
    double x;

    if (text == NULL) {
        return 0;
    }
    errno = 0;
    x = strtod(text, &end);
    if (end == text || *end != '\0' || !isfinite(x) || x < min || x > max) {
        cli_error("%s: invalid value '%s' for --%s: expected a number from %g to %g",
                  spec->name, text, name, min, max);
        return usage_error(spec);
    }
    *out = x;
    return 0;
}

int
cli_arg_count(const cli_command_spec *spec, const cli_args *args, const char *name,
              unsigned long long min, unsigned long long max, unsigned long long *out)
{
    const char *text = cli_arg(spec, args, name);
    char *end;
    unsigned long long x;

    if (text == NULL) {
        return 0;
    }
    errno = 0;
    x = strtoull(text, &end, 10);
    if (end == text || *end != '\0' || text[0] == '-' || errno == ERANGE || x < min || x > max) {
        cli_error("%s: invalid value '%s' for --%s: expected a whole number from %llu to %llu",
                  spec->name, text, name, min, max);
        return usage_error(spec);
    }
    *out = x;
    return 0;
}

int
cli_args_options(const cli_command_spec *spec, const cli_args *args, singdiv_options *opt)
{
    const char *base = cli_arg(spec, args, "base");
    int status;

    singdiv_options_init(opt);
    opt->normalize = cli_flag(spec, args, "normalize");
    if (base != NULL && strcmp(base, "e") != 0) {
        status = cli_arg_double(spec, args, "base", 1e-300, 1e300, &opt->base);
        if (status != 0) {
            return status;
        }
        if (opt->base <= 1.0) {
            cli_error("%s: invalid value '%s' for --base: the base must be greater than 1, "
                      "for example 2 for bits",
                      spec->name, base);
            return usage_error(spec);
        }
    }
    return cli_arg_double(spec, args, "tolerance", 0.0, 1.0, &opt->sum_tolerance);
}

const char *
cli_unit_of(const singdiv_options *opt)
{
    static char text[64];

    if (opt->base == 0.0) {
        return "nats";
    }
    if (opt->base == 2.0) {
        return "bits";
    }
    snprintf(text, sizeof text, "log base %g units", opt->base);
    return text;
}
