/*
 * config.c - retort.ini (see config.h).
 *
 * inih does the tokenizing; we feed it through our own line reader so that
 * every problem, ours or inih's, is reported with the line it is on, and so
 * that lines longer than inih's buffer are refused instead of silently
 * split.  Every section's keys are validated: a typo in a second database's
 * section is as dangerous as one in [retort].
 */
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/common.h"
#include "config/config.h"

/* inih's compiled-in line buffer (INI_MAX_LINE in the packaged library). */
#define INI_LINE_MAX 200

enum key_kind { K_STRING, K_PATH, K_BOOL, K_INT, K_LIST, K_PATH_LIST, K_FORMAT, K_DURATION, K_CODES, K_KINDS };

static const struct key_def {
	const char *name;
	enum key_kind kind;
} keys[] = {
	{ "script_location", K_PATH },
	{ "url", K_STRING },
	{ "version_table", K_STRING },
	{ "version_table_schema", K_STRING },
	{ "history_table", K_STRING },
	{ "version_locations", K_PATH_LIST },
	{ "recursive_version_locations", K_BOOL },
	{ "file_template", K_STRING },
	{ "truncate_slug_length", K_INT },
	{ "default_format", K_FORMAT },
	{ "transaction_per_migration", K_BOOL },
	{ "target_schema", K_PATH_LIST },
	{ "dev_url", K_STRING },
	{ "include_schemas", K_LIST },
	{ "exclude_tables", K_LIST },
	{ "exclude_kinds", K_KINDS },
	{ "manage_privileges", K_BOOL },
	{ "lock_timeout", K_INT },
	{ "revision_timeout", K_INT },
	{ "ddl_lock_timeout", K_DURATION },
	{ "ddl_statement_timeout", K_DURATION },
	{ "ddl_lock_retries", K_INT },
	{ "ddl_lock_retry_delay", K_DURATION },
	{ "lint_error", K_CODES },
	{ "lint_ignore", K_CODES },
	{ "lint_large_table", K_INT },
	{ "cc", K_STRING },
	{ "cflags", K_STRING },
	{ "post_write_hook", K_STRING },
	{ "databases", K_LIST },
};

typedef struct parse_state {
	const char *text;         /* the whole file, at most RETORT_CONFIG_MAX bytes */
	size_t len, pos;
	const char *path;
	const char *want;         /* the section we load */
	char *here;               /* the file's directory, absolute: %(here)s */
	unsigned line;            /* line the reader handed out last */
	bool line_continues;      /* current line starts with whitespace */
	bool line_too_long;
	unsigned want_line;       /* line of [want], 0 = not seen */
	unsigned error_line;      /* first error we reported, 0 = none */
	retort_buf error;
	retort_map values;        /* key -> char * (interpolated) for `want` */
	retort_map value_lines;   /* key -> (void *)(uintptr_t)line */
	/*
	 * The value that continuation lines are extending, kept out of the
	 * map until the next key: appending to a buffer keeps a value of
	 * 40,000 lines linear, where joining strings per line was quadratic.
	 */
	char *cont_key;
	retort_buf cont;
} parse_state;

static char *reader(char *str, int num, void *stream)
{
	parse_state *st = stream;
	int c, n = 0;
	bool first = true;

	st->line_too_long = false;
	while ((c = st->pos < st->len ? (unsigned char)st->text[st->pos++] : EOF) != EOF) {
		if (first) {
			st->line_continues = (c == ' ' || c == '\t');
			first = false;
		}
		if (n < num - 1)
			str[n++] = (char)c;
		else if (c != '\n' && c != '\r')
			st->line_too_long = true;
		if (c == '\n')
			break;
	}
	if (n == 0 && c == EOF)
		return NULL;
	str[n] = '\0';
	st->line++;
	/* Track section headers ourselves: inih does not tell the handler. */
	{
		const char *p = str;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '[') {
			const char *end = strchr(p, ']');
			if (end && (size_t)(end - p - 1) == strlen(st->want) &&
					strncmp(p + 1, st->want, strlen(st->want)) == 0 && !st->want_line)
				st->want_line = st->line;
		}
	}
	return str;
}

static int fail(parse_state *st, const char *fmt, ...) RETORT_PRINTF(2, 3);
static int fail(parse_state *st, const char *fmt, ...)
{
	va_list ap;

	if (st->error_line)
		return 0;
	st->error_line = st->line ? st->line : 1;
	/* line 0: a value from the program's settings, not from the file */
	if (st->line)
		retort_buf_printf(&st->error, "%s:%u: ", st->path, st->line);
	else
		retort_buf_puts(&st->error, "settings: ");
	va_start(ap, fmt);
	retort_buf_vprintf(&st->error, fmt, ap);
	va_end(ap);
	return 0;
}

const char *retort_config_key(size_t i)
{
	return i < RETORT_ARRAY_SIZE(keys) ? keys[i].name : NULL;
}

static const struct key_def *find_key(const char *name)
{
	for (size_t i = 0; i < RETORT_ARRAY_SIZE(keys); i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

/* The value being continued goes into the map (its line was recorded when it started). */
static void flush_continued(parse_state *st)
{
	if (!st->cont_key)
		return;
	retort_map_set(&st->values, st->cont_key, retort_buf_detach(&st->cont));
	free(st->cont_key);
	st->cont_key = NULL;
}

/*
 * An unknown key, with the key it is probably a typo of; Alembic's
 * spellings (sqlalchemy.url) point at retort's.
 */
static int unknown_key(parse_state *st, const char *name, const char *section)
{
	const char *names[RETORT_ARRAY_SIZE(keys)], *hint, *dot = strrchr(name, '.');

	for (size_t i = 0; i < RETORT_ARRAY_SIZE(keys); i++)
		names[i] = keys[i].name;
	hint = retort__suggest(name, names, RETORT_ARRAY_SIZE(keys));
	if (!hint && dot)
		hint = retort__suggest(dot + 1, names, RETORT_ARRAY_SIZE(keys));
	if (hint)
		return fail(st, "unknown key '%s' in section [%s]; did you mean '%s'?", name, section, hint);
	return fail(st, "unknown key '%s' in section [%s]", name, section);
}

/* `%(here)s` is the ini file's directory, as in Alembic: URLs and paths that work from anywhere. */
static char *replace_here(const char *value, const char *here)
{
	retort_buf b = RETORT_BUF_INIT;
	const char *p = value, *hit;

	while ((hit = strstr(p, "%(here)s")) != NULL) {
		retort_buf_put(&b, p, (size_t)(hit - p));
		retort_buf_puts(&b, here);
		p = hit + strlen("%(here)s");
	}
	retort_buf_puts(&b, p);
	return retort_buf_detach(&b);
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	parse_state *st = user;
	char *expanded = NULL, *prev;

	if (st->line_too_long)
		return fail(st, "line longer than %d characters", INI_LINE_MAX - 1);
	if (!find_key(name))
		return unknown_key(st, name, section);
	if (retort_config_interpolate(&expanded, value) < 0)
		return fail(st, "%s (in the value of '%s')", retort_error_last()->message, name);
	if (strstr(expanded, "%(here)s")) {
		char *here = replace_here(expanded, st->here);
		free(expanded);
		expanded = here;
	}
	if (strcmp(section, st->want) != 0) {
		free(expanded);
		return 1;
	}
	if (st->cont_key && strcmp(st->cont_key, name) == 0 && st->line_continues) {
		/* An indented continuation line extends the value. */
		retort_buf_putc(&st->cont, ' ');
		retort_buf_puts(&st->cont, expanded);
		free(expanded);
		return 1;
	}
	flush_continued(st);
	prev = retort_map_get(&st->values, name);
	if (prev) {
		free(expanded);
		return fail(st, "key '%s' is set twice in section [%s]", name, section);
	}
	st->cont_key = retort__strdup(name);
	retort_buf_puts(&st->cont, expanded);
	retort_map_set(&st->value_lines, name, (void *)(uintptr_t)st->line);
	free(expanded);
	return 1;
}

/*
 * An interpolation error.  The value itself is not shown: it is often a
 * URL whose password nothing has masked yet, and the caller names the
 * file, line and key.
 */
static int bad_value(retort_buf *buf, const char *what)
{
	retort_buf_dispose(buf);
	return retort__error_set(RETORT_ERROR_CONFIG, "%s", what);
}

int retort_config_interpolate(char **out, const char *value)
{
	retort_buf buf = RETORT_BUF_INIT;
	const char *p = value;

	*out = NULL;
	while (*p) {
		const char *close, *name_end, *def = NULL;
		char *name, *env;

		if (p[0] != '$' || (p[1] != '{' && p[1] != '$')) {
			retort_buf_putc(&buf, *p++);
			continue;
		}
		if (p[1] == '$') {
			retort_buf_putc(&buf, '$');
			p += 2;
			continue;
		}
		if (!(close = strchr(p + 2, '}'))) {
			return bad_value(&buf, "unterminated '${'");
		}
		name_end = p + 2;
		while (name_end < close && !(name_end[0] == ':' && name_end[1] == '-'))
			name_end++;
		if (name_end < close)
			def = name_end + 2;
		if (name_end == p + 2) {
			return bad_value(&buf, "empty variable name in '${}'");
		}
		name = retort__strndup(p + 2, (size_t)(name_end - p - 2));
		for (const char *c = name; *c; c++) {
			if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
					(*c >= '0' && *c <= '9') || *c == '_')) {
				free(name);
				return bad_value(&buf, "bad variable name in '${...}' (letters, digits and '_')");
			}
		}
		env = getenv(name);
		if (env && (*env || !def))
			retort_buf_puts(&buf, env);
		else if (def)
			retort_buf_put(&buf, def, (size_t)(close - def));
		/* An unset variable without a default expands to nothing, like sh. */
		free(name);
		p = close + 1;
	}
	*out = retort_buf_detach(&buf);
	return 0;
}

static void split_list(retort_vec *out, const char *value, const char *dir)
{
	const char *p = value;

	while (*p) {
		size_t n;
		char *item;
		p += strspn(p, " \t,");
		n = strcspn(p, " \t,");
		if (!n)
			break;
		item = retort__strndup(p, n);
		if (dir) {
			char *abs = retort__path_join(dir, item);
			free(item);
			item = abs;
		}
		retort_vec_push(out, item);
		p += n;
	}
}

static char *absolute_dir(const char *path)
{
	char *dir = retort__path_dirname(path);
	char resolved[PATH_MAX];

	if (realpath(dir, resolved)) {
		free(dir);
		return retort__strdup(resolved);
	}
	return dir;
}

/*
 * The names of retort's own tables (and their schema), which retort writes
 * into SQL itself.  Quoting would make any name safe, but a quote, a
 * backslash or a semicolon in a table name from a config file is an
 * injection attempt or a typo, never a table anyone meant; a control
 * character or a byte that is not UTF-8 cannot be shown; and PostgreSQL
 * cuts names at 63 bytes, so two longer names could be one table.
 */
static const char *table_name_problem(const char *key, const char *v)
{
	if (strcmp(key, "version_table") != 0 && strcmp(key, "history_table") != 0 &&
			strcmp(key, "version_table_schema") != 0)
		return NULL;
	if (!retort__utf8_valid(v, NULL))
		return "is not valid UTF-8";
	if (strlen(v) > 63)
		return "is longer than 63 bytes, where PostgreSQL cuts names";
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p < 0x20 || *p == 0x7f || strchr("\"'`;\\", *p))
			return "holds a control character, a quote, a backslash or a ';': "
				"not a name for a table of retort's";
	return NULL;
}

/* Apply one validated value to the struct; st->line points at its line. */
static int apply(retort_config *cfg, parse_state *st, const char *name, const char *v)
{
	const struct key_def *key = find_key(name);
	char *dup = retort__strdup(v);

	retort__trim(dup);
	switch (key->kind) {
	case K_BOOL: {
		bool b;
		if (retort__parse_bool(&b, dup) < 0) {
			free(dup);
			return fail(st, "'%s' must be true or false, not '%s'", name, v);
		}
		if (strcmp(name, "recursive_version_locations") == 0)
			cfg->recursive_version_locations = b;
		else if (strcmp(name, "manage_privileges") == 0)
			cfg->manage_privileges = b;
		else
			cfg->transaction_per_migration = b;
		break;
	}
	case K_INT: {
		char *end;
		long l = strtol(dup, &end, 10);
		if (!*dup || *end || l < 0 || l > INT_MAX) {
			free(dup);
			return fail(st, "'%s' must be a whole number, not '%s'", name, v);
		}
		if (strcmp(name, "lock_timeout") == 0)
			cfg->lock_timeout = (int)l;
		else if (strcmp(name, "revision_timeout") == 0)
			cfg->revision_timeout = (int)l;
		else if (strcmp(name, "ddl_lock_retries") == 0)
			cfg->ddl_lock_retries = (int)l;
		else if (strcmp(name, "lint_large_table") == 0)
			cfg->lint_large_table = (int)l;
		else
			cfg->truncate_slug_length = (int)l;
		break;
	}
	case K_DURATION: {
		long ms;
		if (retort__duration_parse(&ms, dup) < 0) {
			free(dup);
			return fail(st, "'%s' must be a duration such as 500ms, 2s or 1min (0: no limit), not '%s'",
				name, v);
		}
		if (strcmp(name, "ddl_lock_timeout") == 0)
			cfg->ddl_lock_timeout = ms;
		else if (strcmp(name, "ddl_statement_timeout") == 0)
			cfg->ddl_statement_timeout = ms;
		else
			cfg->ddl_lock_retry_delay = ms;
		break;
	}
	case K_CODES: {
		bool errors = strcmp(name, "lint_error") == 0;
		retort_vec *list = errors ? &cfg->lint_error : &cfg->lint_ignore;
		/* Which codes exist is the lint rules' business (a layer above); the shape is ours. */
		for (const char *c = dup; *c; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
					*c == '-' || *c == '_' || *c == ',' || *c == ' ' || *c == '\t')) {
				free(dup);
				return fail(st, "'%s' must list rule codes such as R101 or names such as "
					"index-not-concurrent, not '%s'", name, v);
			}
		split_list(list, dup, NULL);
		if (errors)
			cfg->lint_error_line = st->line;
		else
			cfg->lint_ignore_line = st->line;
		break;
	}
	case K_FORMAT:
		if (strcmp(dup, "sql") != 0 && strcmp(dup, "c") != 0) {
			free(dup);
			return fail(st, "'default_format' must be sql or c, not '%s'", v);
		}
		free(cfg->default_format);
		cfg->default_format = dup;
		return 1;
	case K_PATH:
		if (!*dup) {
			free(dup);
			return fail(st, "'%s' is empty", name);
		}
		cfg->script_location = retort__path_join(cfg->dir, dup);
		break;
	case K_PATH_LIST:
		split_list(strcmp(name, "target_schema") == 0 ? &cfg->target_schema
			: &cfg->version_locations, dup, cfg->dir);
		break;
	case K_LIST:
		split_list(strcmp(name, "include_schemas") == 0 ? &cfg->include_schemas
			: strcmp(name, "databases") == 0 ? &cfg->databases
			: &cfg->exclude_tables, dup, NULL);
		break;
	case K_KINDS: {
		retort_vec kinds = RETORT_VEC_INIT;
		split_list(&kinds, dup, NULL);
		for (size_t i = 0; i < kinds.len; i++)
			if (!retort_config_kind_valid(kinds.items[i])) {
				int rc = fail(st, "unknown object kind '%s' in 'exclude_kinds': one of %s",
					(const char *)kinds.items[i], retort_config_kinds);
				retort_vec_dispose(&kinds, true);
				free(dup);
				return rc;
			}
		for (size_t i = 0; i < kinds.len; i++)
			retort_vec_push(&cfg->exclude_kinds, kinds.items[i]);
		retort_vec_dispose(&kinds, false);
		break;
	}
	case K_STRING: {
		char **slot;
		const char *why;
		if (!*dup && (strcmp(name, "version_table") == 0 || strcmp(name, "history_table") == 0)) {
			free(dup);
			return fail(st, "'%s' is empty (%s)", name, strcmp(name, "history_table") == 0
				? "write 'none' to keep no history" : "leave it out for the default");
		}
		if ((why = table_name_problem(name, dup)) != NULL) {
			fail(st, "'%s' = '%s' %s", name, dup, why);
			free(dup);
			return 0;
		}
		slot =
			strcmp(name, "url") == 0 ? &cfg->url :
			strcmp(name, "version_table") == 0 ? &cfg->version_table :
			strcmp(name, "version_table_schema") == 0 ? &cfg->version_table_schema :
			strcmp(name, "history_table") == 0 ? &cfg->history_table :
			strcmp(name, "file_template") == 0 ? &cfg->file_template :
			strcmp(name, "dev_url") == 0 ? &cfg->dev_url :
			strcmp(name, "cc") == 0 ? &cfg->cc :
			strcmp(name, "cflags") == 0 ? &cfg->cflags : &cfg->post_write_hook;
		free(*slot);
		*slot = dup;
		return 1;
	}
	}
	free(dup);
	return 1;
}

/*
 * The object kinds exclude_kinds may name (the schema engine leaves them
 * out).  Tables, their columns, keys and indexes, and schemas are always
 * compared; what an extension created never is: it comes with the
 * extension.
 */
const char retort_config_kinds[] =
	"collations, comments, domains, extensions, functions, materialized-views, "
	"policies, privileges, sequences, triggers, types, views";

bool retort_config_kind_valid(const char *kind)
{
	size_t n = strlen(kind);

	if (!n)
		return false;
	for (const char *p = retort_config_kinds; (p = strstr(p, kind)) != NULL; p += n)
		if ((p == retort_config_kinds || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

static void set_defaults(retort_config *cfg)
{
	const char *cc = getenv("CC");

	cfg->version_table = retort__strdup("retort_version");
	cfg->history_table = retort__strdup("retort_history");
	cfg->file_template = retort__strdup("%(rev)s_%(slug)s");
	cfg->truncate_slug_length = 40;
	cfg->default_format = retort__strdup("sql");
	cfg->transaction_per_migration = true;
	cfg->lock_timeout = 60;
	cfg->ddl_lock_timeout = -1;
	cfg->ddl_statement_timeout = -1;
	cfg->ddl_lock_retries = 3;
	cfg->ddl_lock_retry_delay = 1000;
	cfg->lint_large_table = 1000000;
	cfg->cc = retort__strdup(cc && *cc ? cc : "cc");
	cfg->cflags = retort__strdup("");
}

static int parse_xargs(retort_config *cfg, const retort_config_opts *opts)
{
	for (size_t i = 0; i < opts->nxargs; i++) {
		const char *eq = strchr(opts->xargs[i], '=');
		char *key;
		if (!eq || eq == opts->xargs[i])
			return retort__error_set(RETORT_ERROR_USAGE,
				"malformed -x '%s': expected KEY=VALUE", opts->xargs[i]);
		key = retort__strndup(opts->xargs[i], (size_t)(eq - opts->xargs[i]));
		free(retort_map_set(&cfg->xargs, key, retort__strdup(eq + 1)));
		free(key);
	}
	return 0;
}

/*
 * The program's "key=value" settings, over what the file says: each key is
 * checked as the file's are, and its value replaces the file's (line 0, so
 * a problem with it says "settings:").
 */
static int apply_settings(parse_state *st, const retort_config_opts *opts)
{
	for (size_t i = 0; i < opts->nsettings; i++) {
		const char *kv = opts->settings[i], *eq = strchr(kv, '=');
		char *key;

		st->line = 0;
		if (!eq || eq == kv)
			return retort__error_set(RETORT_ERROR_CONFIG,
				"settings: malformed '%s': expected key=value", kv);
		key = retort__trim(retort__strndup(kv, (size_t)(eq - kv)));
		if (!find_key(key)) {
			unknown_key(st, key, st->want);
			free(key);
			return retort__error_set(RETORT_ERROR_CONFIG, "%s", st->error.ptr);
		}
		free(retort_map_set(&st->values, key, retort__strdup(eq + 1)));
		retort_map_set(&st->value_lines, key, (void *)(uintptr_t)0);
		free(key);
	}
	return 0;
}

/*
 * The option's value, else the environment variable's, else NULL.  Either
 * one given but empty is an error (class USAGE for the option, CONFIG for
 * the variable): an unset shell variable in a deploy script must not turn
 * into "use the default".  No env_name: the option alone.
 */
static int explicit_value(const char **out, const char *opt, const char *opt_name, const char *env_name)
{
	const char *env = env_name ? getenv(env_name) : NULL;

	*out = NULL;
	if (opt && !*opt)
		return retort__error_set(RETORT_ERROR_USAGE,
			"%s is empty (an empty value is refused, not replaced by a default)", opt_name);
	if (opt) {
		*out = opt;
		return 0;
	}
	if (env && !*env)
		return retort__error_set(RETORT_ERROR_CONFIG,
			"%s is set but empty (unset it for the default)", env_name);
	*out = env;
	return 0;
}

/*
 * The config file, whole: a regular file (a symlink to one is fine) of at
 * most RETORT_CONFIG_MAX bytes; a FIFO or device is refused unread.
 */
static int read_file(char **out, size_t *len, const char *path)
{
	int error = retort__file_read_max(out, len, path, RETORT_CONFIG_MAX, RETORT_ERROR_CONFIG);

	if (error == RETORT_ENOTFOUND)
		return retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_CONFIG,
			"cannot find config '%s' (create one with 'retort init DIR', or pass -c FILE)", path);
	if (error < 0) {
		retort__error_prefix("cannot read config");
		return error;
	}
	/* inih reads C strings: a NUL would silently end the line it is on */
	if (memchr(*out, '\0', *len)) {
		const char *nul = memchr(*out, '\0', *len);
		unsigned line = 1;
		for (const char *p = *out; p < nul; p++)
			line += *p == '\n';
		free(*out);
		*out = NULL;
		return retort__error_set(RETORT_ERROR_CONFIG, "%s:%u: the line holds a NUL byte", path, line);
	}
	return 0;
}

/* The directory relative settings are read against when there is no file. */
static char *settings_dir(const char *dir)
{
	char cwd[PATH_MAX];

	if (dir && *dir) {
		char resolved[PATH_MAX];
		return retort__strdup(realpath(dir, resolved) ? resolved : dir);
	}
	return retort__strdup(getcwd(cwd, sizeof(cwd)) ? cwd : ".");
}

int retort_config_load(retort_config **out, const retort_config_opts *opts)
{
	static const retort_config_opts no_opts;
	parse_state st;
	retort_config *cfg = NULL;
	const char *path, *override;
	char *text = NULL;
	int rc, error = 0;

	*out = NULL;
	if (!opts)
		opts = &no_opts;
	/*
	 * An empty value given on purpose is never a request for the default:
	 * `-c "$UNSET"` must not quietly read ./retort.ini instead.
	 */
	if (opts->no_file)
		path = "(settings)";
	else if ((error = explicit_value(&path, opts->path, "-c",
			opts->no_environment ? NULL : "RETORT_CONFIG")) < 0)
		return error;
	if (!path)
		path = "retort.ini";

	memset(&st, 0, sizeof(st));
	retort_buf_init(&st.error);
	retort_buf_init(&st.cont);
	st.path = path;
	st.want = opts->section && *opts->section ? opts->section : "retort";
	if (opts->no_file) {
		st.here = settings_dir(opts->dir);
		st.want = "retort";
		st.want_line = 1;
		rc = 0;
		goto parsed;
	}
	if ((error = read_file(&text, &st.len, path)) < 0)
		return error;
	st.text = text;
	st.here = absolute_dir(path);
	rc = ini_parse_stream(reader, &st, handler, &st);
	flush_continued(&st);
parsed:
	if (rc != 0 && (st.error_line == 0 || (rc > 0 && (unsigned)rc < st.error_line))) {
		retort_buf_clear(&st.error);
		if (rc > 0)
			retort_buf_printf(&st.error, "%s:%d: malformed line: expected 'key = value' or '[section]'", path, rc);
		else
			retort_buf_printf(&st.error, "%s: cannot parse", path);
	}
	if (st.error.size) {
		error = retort__error_set(RETORT_ERROR_CONFIG, "%s", st.error.ptr);
		goto done;
	}
	if (!st.want_line) {
		error = retort__error_set(RETORT_ERROR_CONFIG, "%s: no section [%s]", path, st.want);
		goto done;
	}

	if ((error = apply_settings(&st, opts)) < 0)
		goto done;

	cfg = retort__calloc(1, sizeof(*cfg));
	cfg->path = retort__strdup(path);
	cfg->dir = opts->no_file ? retort__strdup(st.here) : absolute_dir(path);
	cfg->section = retort__strdup(st.want);
	set_defaults(cfg);
	st.error_line = 0;
	for (size_t i = 0; i < st.values.len; i++) {
		st.line = (unsigned)(uintptr_t)retort_map_get(&st.value_lines, st.values.keys[i]);
		apply(cfg, &st, st.values.keys[i], st.values.vals[i]);
		if (st.error.size) {
			error = retort__error_set(RETORT_ERROR_CONFIG, "%s", st.error.ptr);
			goto done;
		}
	}
	if (!cfg->script_location && !cfg->databases.len) {
		error = retort__error_set(RETORT_ERROR_CONFIG,
			"%s:%u: section [%s] has no 'script_location'", path, st.want_line, st.want);
		goto done;
	}
	if (cfg->history_table && retort__strcasecmp(cfg->history_table, "none") == 0) {
		free(cfg->history_table);
		cfg->history_table = NULL;
	}
	if (cfg->version_table_schema && !*cfg->version_table_schema) {
		free(cfg->version_table_schema);
		cfg->version_table_schema = NULL;
	}
	if (cfg->post_write_hook && !*cfg->post_write_hook) {
		free(cfg->post_write_hook);
		cfg->post_write_hook = NULL;
	}
	if (cfg->version_locations.len == 0 && cfg->script_location)
		retort_vec_push(&cfg->version_locations, retort__path_join(cfg->script_location, "versions"));

	cfg->url_line = (unsigned)(uintptr_t)retort_map_get(&st.value_lines, "url");
	/* --url "" and RETORT_URL="" are refused, never the file's url instead */
	if ((error = explicit_value(&override, opts->url, opts->url_name ? opts->url_name : "--url",
			opts->no_environment ? NULL : "RETORT_URL")) < 0)
		goto done;
	if (override) {
		free(cfg->url);
		cfg->url = retort__strdup(override);
		cfg->url_origin = opts->url ? (opts->url_name ? opts->url_name : "--url") : "RETORT_URL";
		cfg->url_line = 0;
	}
	if (cfg->url && !*cfg->url) {
		free(cfg->url);
		cfg->url = NULL;
	}
	if ((error = parse_xargs(cfg, opts)) < 0)
		goto done;
	*out = cfg;
	cfg = NULL;
done:
	retort_config_free(cfg);
	retort_map_dispose(&st.values, true);
	retort_map_dispose(&st.value_lines, false);
	retort_buf_dispose(&st.error);
	retort_buf_dispose(&st.cont);
	free(st.cont_key);
	free(text);
	free(st.here);
	return error;
}

void retort_config_free(retort_config *cfg)
{
	if (!cfg)
		return;
	free(cfg->path);
	free(cfg->dir);
	free(cfg->section);
	free(cfg->script_location);
	free(cfg->url);
	free(cfg->version_table);
	free(cfg->version_table_schema);
	free(cfg->history_table);
	retort_vec_dispose(&cfg->version_locations, true);
	free(cfg->file_template);
	free(cfg->default_format);
	retort_vec_dispose(&cfg->target_schema, true);
	free(cfg->dev_url);
	retort_vec_dispose(&cfg->include_schemas, true);
	retort_vec_dispose(&cfg->exclude_tables, true);
	retort_vec_dispose(&cfg->exclude_kinds, true);
	retort_vec_dispose(&cfg->databases, true);
	retort_vec_dispose(&cfg->lint_error, true);
	retort_vec_dispose(&cfg->lint_ignore, true);
	free(cfg->cc);
	free(cfg->cflags);
	free(cfg->post_write_hook);
	retort_map_dispose(&cfg->xargs, true);
	free(cfg);
}
