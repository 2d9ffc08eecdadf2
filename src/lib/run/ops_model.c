/*
 * ops_model.c - C revisions' portable operations as schema-model edits
 * (see ops_model.h).
 *
 * Each call becomes the model of what it names (a table with the columns
 * and keys it declares, a column, an index, a constraint) and one schema
 * operation on it, rendered by retort_op_render(): the same per-dialect
 * code that writes generated revisions.  A SQLite change ALTER TABLE
 * cannot make reflects the live database twice, edits the second model,
 * and runs the diff's script, whose move-and-copy is the one every SQLite
 * rebuild uses (schema/rebuild_sqlite.c).  Identifiers are quoted by the
 * renderers; SQL fragments the revision supplies (types, defaults, CHECK
 * and WHERE expressions) go in as written, because they are SQL by
 * contract; ON DELETE actions are checked against the fixed list.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "base/common.h"
#include "run/ops_model.h"
#include "schema/schema.h"
#include "schema/sqlparse.h"

#define LITE RETORT_DIALECT_SQLITE

static int need(const char *value, const char *what)
{
	if (!value || !*value)
		return retort__error_set(RETORT_ERROR_SCRIPT, "%s is required", what);
	return 0;
}

/* --- from the C API's structs to the model ------------------------------- */

static int fk_action(char *out, const char *action)
{
	static const struct { const char *name; char action; } actions[] = {
		{ "CASCADE", RETORT_FK_CASCADE }, { "SET NULL", RETORT_FK_SET_NULL },
		{ "SET DEFAULT", RETORT_FK_SET_DEFAULT }, { "RESTRICT", RETORT_FK_RESTRICT },
		{ "NO ACTION", RETORT_FK_NO_ACTION },
	};

	*out = RETORT_FK_NO_ACTION;
	if (!action)
		return 0;
	for (size_t i = 0; i < RETORT_ARRAY_SIZE(actions); i++) {
		if (!retort__strcasecmp(action, actions[i].name)) {
			*out = actions[i].action;
			return 0;
		}
	}
	return retort__error_set(RETORT_ERROR_SCRIPT,
		"unknown ON DELETE action '%s' (CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION)", action);
}

/* A NULL-terminated list of names into `out`; an empty or missing list is an error. */
static int add_names(retort_vec *out, const char *const *names, const char *what)
{
	if (!names || !names[0])
		return retort__error_set(RETORT_ERROR_SCRIPT, "%s: at least one column is required", what);
	for (size_t i = 0; names[i]; i++)
		retort__strvec_add(out, names[i]);
	return 0;
}

/* `col` as a column of `t`, with the keys its flags and reference declare (unnamed). */
static int add_column(retort_table *t, retort_dialect_id d, const retort_column *col)
{
	retort_model_column *c;
	retort_model_constraint *k;
	int error;

	if ((error = need(col->name, "column name")) < 0)
		return error;
	if (!col->type || !*col->type)
		return retort__error_set(RETORT_ERROR_SCRIPT, "column '%s' has no type", col->name);
	/* AUTOINCREMENT implies the key; SQLite allows it only on INTEGER PRIMARY KEY. */
	c = retort_table_add_column(t, col->name,
		d == LITE && (col->flags & RETORT_AUTOINCREMENT) ? "INTEGER" : col->type);
	c->notnull = (col->flags & RETORT_NOT_NULL) != 0;
	c->default_expr = retort__strdup(col->default_sql);
	if (col->flags & RETORT_AUTOINCREMENT) {
		if (d == LITE)
			c->autoincrement = true;
		else
			c->identity = 'd';
	}
	if (col->flags & (RETORT_PRIMARY_KEY | RETORT_AUTOINCREMENT))
		retort__strvec_add(&retort_table_add_constraint(t, RETORT_CON_PRIMARY, NULL)->columns, col->name);
	if (col->flags & RETORT_UNIQUE)
		retort__strvec_add(&retort_table_add_constraint(t, RETORT_CON_UNIQUE, NULL)->columns, col->name);
	if (col->ref_table) {
		k = retort_table_add_constraint(t, RETORT_CON_FOREIGN, NULL);
		retort__strvec_add(&k->columns, col->name);
		k->ref_table = retort__strdup(col->ref_table);
		if (col->ref_column)
			retort__strvec_add(&k->ref_columns, col->ref_column);
		if ((error = fk_action(&k->on_delete, col->on_delete)) < 0)
			return error;
	}
	return 0;
}

/* `con` as a constraint of `t`. */
static int add_constraint(retort_table *t, const retort_constraint *con)
{
	static const retort_con_kind kinds[] = {
		[RETORT_CONSTRAINT_UNIQUE] = RETORT_CON_UNIQUE, [RETORT_CONSTRAINT_CHECK] = RETORT_CON_CHECK,
		[RETORT_CONSTRAINT_FOREIGN_KEY] = RETORT_CON_FOREIGN, [RETORT_CONSTRAINT_PRIMARY_KEY] = RETORT_CON_PRIMARY,
	};
	retort_model_constraint *c;
	int error;

	if ((error = need(con->name, "constraint name")) < 0)
		return error;
	if ((unsigned)con->kind >= RETORT_ARRAY_SIZE(kinds) || !kinds[con->kind])
		return retort__error_set(RETORT_ERROR_SCRIPT, "constraint '%s': unknown kind %d", con->name, (int)con->kind);
	c = retort_table_add_constraint(t, kinds[con->kind], con->name);
	switch (con->kind) {
	case RETORT_CONSTRAINT_CHECK:
		if ((error = need(con->check_sql, "check constraint expression")) < 0)
			return error;
		c->expr = retort__strdup(con->check_sql);
		return 0;
	case RETORT_CONSTRAINT_FOREIGN_KEY:
		if ((error = add_names(&c->columns, con->columns, "foreign key")) < 0 ||
			(error = need(con->ref_table, "foreign key referenced table")) < 0)
			return error;
		c->ref_table = retort__strdup(con->ref_table);
		if (con->ref_columns && (error = add_names(&c->ref_columns, con->ref_columns, "foreign key")) < 0)
			return error;
		return fk_action(&c->on_delete, con->on_delete);
	default:
		return add_names(&c->columns, con->columns,
			con->kind == RETORT_CONSTRAINT_UNIQUE ? "unique constraint" : "primary key constraint");
	}
}

/* --- one operation through the schema renderers ---------------------------- */

/* The models an op points into, and the diff it is rendered against. */
typedef struct one {
	retort_model *from, *to;
	retort_diff d;
	retort_op op;
} one;

static void one_init(one *o, retort_dialect_id dialect)
{
	memset(o, 0, sizeof(*o));
	o->d.from = o->from = retort_model_new(dialect);
	o->d.to = o->to = retort_model_new(dialect);
}

static void one_op(one *o, retort_op_kind kind, retort_table *t)
{
	retort_vec_dispose(&o->op.omit_fks, false);
	memset(&o->op, 0, sizeof(o->op));
	o->op.kind = kind;
	o->op.table = t;
}

static void one_render(retort_buf *out, one *o)
{
	retort_op_render(out, &o->d, &o->op);
}

static void one_dispose(one *o)
{
	retort_vec_dispose(&o->op.omit_fks, false);
	retort_model_free(o->from);
	retort_model_free(o->to);
}

/* A table of `o` known only by its name (in `to`, or `from` for what was). */
static retort_table *named(retort_model *m, const char *name)
{
	return retort_model_add_table(m, NULL, name);
}

static int render_create_table(retort_buf *out, one *o, const retort__op_call *call)
{
	retort_table *t;
	int error;

	if ((error = need(call->table, "table name")) < 0)
		return error;
	if (!call->columns || !call->columns[0].name)
		return retort__error_set(RETORT_ERROR_SCRIPT, "create_table '%s': at least one column is required",
			call->table);
	t = named(o->to, call->table);
	for (size_t i = 0; call->columns[i].name; i++) {
		if ((error = add_column(t, o->to->dialect, &call->columns[i])) < 0) {
			retort__error_prefix("create_table '%s'", call->table);
			return error;
		}
	}
	one_op(o, RETORT_OP_CREATE_TABLE, t);
	one_render(out, o);
	return 0;
}

/*
 * ADD COLUMN, its keys after it (PostgreSQL: ALTER TABLE ... ADD; SQLite
 * writes a lone foreign key inline and rebuilds for any other key).
 */
static int render_add_column(retort_buf *out, bool *rebuild, one *o, const retort__op_call *call)
{
	retort_table *t = named(o->to, call->table);
	retort_model_constraint *fk = NULL;
	int error;

	if (!call->column)
		return retort__error_set(RETORT_ERROR_SCRIPT, "add_column on '%s': no column given", call->table);
	if ((error = add_column(t, o->to->dialect, call->column)) < 0)
		return error;
	one_op(o, RETORT_OP_ADD_COLUMN, t);
	o->op.column = t->columns.items[0];
	if (o->to->dialect == LITE) {
		/* A lone foreign key goes inline; any other key (or a second one) makes it a rebuild. */
		for (size_t i = 0; i < t->constraints.len; i++) {
			retort_model_constraint *k = t->constraints.items[i];
			if (!fk || k->kind != RETORT_CON_FOREIGN)
				fk = k;
		}
		o->op.constraint = fk;
		if (!retort_op_in_place(&o->d, &o->op)) {
			*rebuild = true;
			return 0;
		}
		one_render(out, o);
		return 0;
	}
	one_render(out, o);
	for (size_t i = 0; i < t->constraints.len; i++) {
		one_op(o, RETORT_OP_ADD_CONSTRAINT, t);
		o->op.constraint = t->constraints.items[i];
		one_render(out, o);
	}
	return 0;
}

/*
 * PostgreSQL: ALTER COLUMN for the fields `alter` sets.  The column's
 * present state is not known (offline there is no database to ask), so
 * the old column holds only what the change must differ from: an unknown
 * type (NULL), the opposite nullability, a default to drop.
 */
static int render_alter_column(retort_buf *out, one *o, const retort__op_call *call)
{
	const retort_alter *alter = call->alter;
	retort_table *t = named(o->to, call->table), *old = named(o->from, call->table);
	retort_model_column *c = retort_table_add_column(t, call->name, alter->type ? alter->type : "");
	retort_model_column *oc = retort_table_add_column(old, call->name, "");

	if (alter->type) {
		free(oc->type);
		oc->type = NULL;
	}
	if (alter->nullable == RETORT_SET_NOT_NULL)
		c->notnull = true;
	else if (alter->nullable == RETORT_DROP_NOT_NULL)
		oc->notnull = true;
	if (alter->drop_default)
		oc->default_expr = retort__strdup("NULL");
	else if (alter->default_sql)
		c->default_expr = retort__strdup(alter->default_sql);
	one_op(o, RETORT_OP_ALTER_COLUMN, t);
	o->op.old_table = old;
	o->op.column = c;
	o->op.old_column = oc;
	one_render(out, o);
	return 0;
}

static int check_alter(const retort__op_call *call)
{
	const retort_alter *a = call->alter;

	if (!a)
		return retort__error_set(RETORT_ERROR_SCRIPT, "alter_column '%s': no change given", call->name);
	if (a->nullable != RETORT_KEEP && a->nullable != RETORT_SET_NOT_NULL && a->nullable != RETORT_DROP_NOT_NULL)
		return retort__error_set(RETORT_ERROR_SCRIPT, "alter_column '%s.%s': invalid nullable value %d",
			call->table, call->name, a->nullable);
	if (!a->type && a->nullable == RETORT_KEEP && !a->default_sql && !a->drop_default)
		return retort__error_set(RETORT_ERROR_SCRIPT, "alter_column '%s.%s': nothing to change",
			call->table, call->name);
	return 0;
}

static int render_create_index(retort_buf *out, one *o, const retort__op_call *call)
{
	retort_table *t;
	retort_index *x;
	int error;

	if ((error = need(call->name, "index name")) < 0 || (error = need(call->table, "table name")) < 0)
		return error;
	if (!call->index_columns || !call->index_columns[0])
		return retort__error_set(RETORT_ERROR_SCRIPT, "create_index: at least one column is required");
	t = named(o->to, call->table);
	x = retort_table_add_index(t, call->name);
	x->unique = call->unique;
	x->where = retort__strdup(call->where);
	for (size_t i = 0; call->index_columns[i]; i++) {
		retort_buf key = RETORT_BUF_INIT;
		retort_dialect_for(o->to->dialect)->quote_ident(&key, call->index_columns[i]);
		retort_vec_push(&x->keys, retort_buf_detach(&key));
	}
	one_op(o, RETORT_OP_CREATE_INDEX, t);
	o->op.index = x;
	one_render(out, o);
	return 0;
}

/* The operations that change what is already there: named things and a table. */
static int render_change(retort_buf *out, bool *rebuild, one *o, const retort__op_call *call)
{
	bool lite = o->to->dialect == LITE;
	retort_table *t = named(o->to, call->table), *old;
	retort_model_column *c;
	int error;

	switch (call->what) {
	case RETORT__OP_DROP_TABLE:
		one_op(o, RETORT_OP_DROP_TABLE, t);
		break;
	case RETORT__OP_RENAME_TABLE:
		if ((error = need(call->new_name, "new table name")) < 0)
			return error;
		one_op(o, RETORT_OP_RENAME_TABLE, named(o->to, call->new_name));
		o->op.old_table = named(o->from, call->table);
		break;
	case RETORT__OP_DROP_COLUMN:
		if ((error = need(call->name, "column name")) < 0)
			return error;
		one_op(o, RETORT_OP_DROP_COLUMN, t);
		o->op.column = retort_table_add_column(t, call->name, "");
		break;
	case RETORT__OP_RENAME_COLUMN:
		if ((error = need(call->name, "column name")) < 0 || (error = need(call->new_name, "new column name")) < 0)
			return error;
		old = named(o->from, call->table);
		c = retort_table_add_column(t, call->new_name, "");
		one_op(o, RETORT_OP_RENAME_COLUMN, t);
		o->op.old_table = old;
		o->op.old_column = retort_table_add_column(old, call->name, "");
		o->op.column = c;
		break;
	case RETORT__OP_ALTER_COLUMN:
		if ((error = need(call->name, "column name")) < 0 || (error = check_alter(call)) < 0)
			return error;
		if (lite)
			return *rebuild = true, 0;
		return render_alter_column(out, o, call);
	case RETORT__OP_ADD_CONSTRAINT:
		if (!call->constraint)
			return retort__error_set(RETORT_ERROR_SCRIPT, "add_constraint on '%s': no constraint given", call->table);
		if ((error = add_constraint(t, call->constraint)) < 0 || lite)
			return error < 0 ? error : (*rebuild = true, 0);
		one_op(o, RETORT_OP_ADD_CONSTRAINT, t);
		o->op.constraint = t->constraints.items[0];
		break;
	case RETORT__OP_DROP_CONSTRAINT:
		if ((error = need(call->name, "constraint name")) < 0 || lite)
			return error < 0 ? error : (*rebuild = true, 0);
		one_op(o, RETORT_OP_DROP_CONSTRAINT, t);
		o->op.constraint = retort_table_add_constraint(t, RETORT_CON_CHECK, call->name);
		break;
	default:
		return retort__error_set(RETORT_ERROR_INTERNAL, "unknown portable operation %d", (int)call->what);
	}
	one_render(out, o);
	return 0;
}

int retort__op_render(retort_buf *out, bool *rebuild, retort_dialect_id d, const retort__op_call *call)
{
	one o;
	int error;

	*rebuild = false;
	one_init(&o, d);
	if (call->what == RETORT__OP_CREATE_TABLE)
		error = render_create_table(out, &o, call);
	else if (call->what == RETORT__OP_CREATE_INDEX)
		error = render_create_index(out, &o, call);
	else if (call->what == RETORT__OP_DROP_INDEX) {
		if ((error = need(call->name, "index name")) == 0) {
			retort_table *t = named(o.to, "");
			one_op(&o, RETORT_OP_DROP_INDEX, t);
			o.op.index = retort_table_add_index(t, call->name);
			one_render(out, &o);
		}
	} else if ((error = need(call->table, "table name")) == 0)
		error = call->what == RETORT__OP_ADD_COLUMN ? render_add_column(out, rebuild, &o, call)
			: render_change(out, rebuild, &o, call);
	one_dispose(&o);
	return error;
}

/* --- SQLite: a rebuild from the live table's model ----------------------- */

/* The table named `name` as SQLite matches names (ASCII case folded). */
static retort_table *find_table(const retort_model *m, const char *name)
{
	for (size_t i = 0; i < m->tables.len; i++)
		if (!retort__strcasecmp(((retort_table *)m->tables.items[i])->name, name))
			return m->tables.items[i];
	return NULL;
}

static ssize_t find_column(const retort_table *t, const char *name)
{
	for (size_t i = 0; i < t->columns.len; i++)
		if (!retort__strcasecmp(((retort_model_column *)t->columns.items[i])->name, name))
			return (ssize_t)i;
	return -1;
}

/* Does SQL text `sql` (a key, a predicate, a CHECK) name column `column`? */
static bool mentions(const char *sql, const char *column)
{
	retort_vec idents = RETORT_VEC_INIT;
	bool found = false;

	retort__sqlparse_identifiers(&idents, sql ? sql : "");
	for (size_t i = 0; i < idents.len && !found; i++)
		found = !retort__strcasecmp(idents.items[i], column);
	retort_vec_dispose(&idents, true);
	return found;
}

/* Does constraint `c` of `t` name `column`?  *others: does it name another column of `t` too? */
static bool uses_column(const retort_table *t, const retort_model_constraint *c, const char *column, bool *others)
{
	bool uses = false;

	*others = false;
	for (size_t i = 0; i < t->columns.len; i++) {
		const char *name = ((retort_model_column *)t->columns.items[i])->name;
		bool listed = false;
		if (c->kind == RETORT_CON_CHECK) {
			listed = mentions(c->expr, name);
		} else {
			for (size_t j = 0; j < c->columns.len && !listed; j++)
				listed = !retort__strcasecmp(c->columns.items[j], name);
		}
		if (listed && !retort__strcasecmp(name, column))
			uses = true;
		else if (listed)
			*others = true;
	}
	return uses;
}

/*
 * The column goes, with what only it used: its single-column keys and a
 * CHECK on it alone (what would have been its column constraints), and
 * its indexes, as DROP COLUMN does in PostgreSQL.  A constraint that uses
 * it with other columns stops the drop.
 */
static int drop_column(retort_table *t, const char *name)
{
	ssize_t at = find_column(t, name);
	const char *column;
	bool others;

	if (at < 0)
		return retort__error_set(RETORT_ERROR_DATABASE, "no column '%s' in table '%s'", name, t->name);
	if (t->columns.len == 1)
		return retort__error_set(RETORT_ERROR_DATABASE, "cannot drop the only column '%s' of a table", name);
	column = ((retort_model_column *)t->columns.items[at])->name;
	for (size_t i = t->constraints.len; i-- > 0;) {
		retort_model_constraint *c = t->constraints.items[i];
		if (!uses_column(t, c, column, &others))
			continue;
		if (others)
			return retort__error_set(RETORT_ERROR_DATABASE,
				"cannot drop column '%s': constraint %s%s%s of table '%s' uses it with other columns; "
				"drop the constraint first", column, c->name ? "'" : "", c->name ? c->name : c->canon,
				c->name ? "'" : "", t->name);
		retort_table_remove_constraint(t, i);
	}
	for (size_t i = t->indexes.len; i-- > 0;) {
		retort_index *x = t->indexes.items[i];
		bool on = mentions(x->where, column);
		for (size_t j = 0; j < x->keys.len && !on; j++)
			on = mentions(x->keys.items[j], column);
		if (on)
			retort_table_remove_index(t, i);
	}
	retort_table_remove_column(t, (size_t)at);
	return 0;
}

static int alter_column(retort_table *t, const char *name, const retort_alter *alter)
{
	ssize_t at = find_column(t, name);
	retort_model_column *c;

	if (at < 0)
		return retort__error_set(RETORT_ERROR_DATABASE, "no column '%s' in table '%s'", name, t->name);
	c = t->columns.items[at];
	if (alter->type) {
		free(c->type);
		c->type = retort__strdup(alter->type);
	}
	if (alter->nullable != RETORT_KEEP)
		c->notnull = alter->nullable == RETORT_SET_NOT_NULL;
	if (alter->drop_default || alter->default_sql) {
		free(c->default_expr);
		c->default_expr = alter->drop_default ? NULL : retort__strdup(alter->default_sql);
	}
	return 0;
}

static int drop_constraint(retort_table *t, const char *name)
{
	for (size_t i = 0; i < t->constraints.len; i++) {
		retort_model_constraint *c = t->constraints.items[i];
		if (c->name && !retort__strcasecmp(c->name, name)) {
			retort_table_remove_constraint(t, i);
			return 0;
		}
	}
	return retort__error_set(RETORT_ERROR_DATABASE,
		"no constraint named '%s' on table '%s' (SQLite keeps the names of constraints declared "
		"as CONSTRAINT <name>)", name, t->name);
}

/* The edit `call` makes, on `t` in a model of the live database. */
static int edit_table(retort_table *t, const retort__op_call *call)
{
	switch (call->what) {
	case RETORT__OP_ADD_COLUMN:
		return add_column(t, LITE, call->column);
	case RETORT__OP_DROP_COLUMN:
		return drop_column(t, call->name);
	case RETORT__OP_ALTER_COLUMN:
		return alter_column(t, call->name, call->alter);
	case RETORT__OP_ADD_CONSTRAINT:
		return add_constraint(t, call->constraint);
	case RETORT__OP_DROP_CONSTRAINT:
		return drop_constraint(t, call->name);
	default:
		return retort__error_set(RETORT_ERROR_INTERNAL, "operation %d is no table rebuild", (int)call->what);
	}
}

/*
 * The SQL that turns the live database into it with `call` applied: two
 * reflections (one to keep, one to edit), the edit, and the diff, which
 * for SQLite is the move-and-copy batch with its guards and checks, and
 * views over the table dropped and made again.
 */
static int rebuild_sql(retort_buf *out, retort_db *db, const retort__op_call *call)
{
	retort_model *from = NULL, *to = NULL;
	retort_diff *d = NULL;
	retort_table *t;
	int error;

	if ((error = retort_schema_reflect(&from, db, NULL)) < 0 || (error = retort_schema_reflect(&to, db, NULL)) < 0)
		goto done;
	if (!(t = find_table(to, call->table))) {
		error = retort__error_code(RETORT_ENOTFOUND, RETORT_ERROR_DATABASE, "no table '%s'", call->table);
		goto done;
	}
	if ((error = edit_table(t, call)) < 0)
		goto done;
	retort_model_sort(to);
	if ((error = retort_schema_diff(&d, from, to, NULL)) < 0)
		goto done;
	retort_diff_render(out, d);
done:
	retort_diff_free(d);
	retort_model_free(from);
	retort_model_free(to);
	return error;
}

/*
 * The script's closing check failed: name what broke, as the check saw it
 * (the rebuilt table's own keys, and the keys of others that point at it).
 * The names go in as bound values of the table-valued pragmas.
 */
static void name_violations(retort_db *db, const char *table)
{
	static const char sql[] =
		"WITH checked (name) AS ("
		"SELECT name FROM sqlite_master WHERE type = 'table' AND name = $1 COLLATE NOCASE "
		"UNION SELECT m.name FROM sqlite_master AS m, pragma_foreign_key_list(m.name) AS f "
		"WHERE m.type = 'table' AND f.\"table\" = $1 COLLATE NOCASE) "
		"SELECT c.\"table\", c.rowid, c.parent FROM checked AS k, pragma_foreign_key_check(k.name) AS c "
		"WHERE k.name = $1 COLLATE NOCASE OR c.parent = $1 COLLATE NOCASE";
	const char *params[] = { table };
	retort_rows *rows = NULL;

	if (!retort_error_last() || !strstr(retort_error_last()->message, RETORT_SCHEMA_FK_CHECK_FAILED))
		return;
	if (retort_db_query(&rows, db, sql, 1, params) == 0 && rows->nrows > 0)
		retort__error_set(RETORT_ERROR_DATABASE,
			"rebuilding table '%s' left %zu foreign key violation(s), the first in table '%s' "
			"(row %s) referencing '%s'", table, rows->nrows, retort_rows_get(rows, 0, 0),
			retort_rows_get(rows, 0, 1) ? retort_rows_get(rows, 0, 1) : "?", retort_rows_get(rows, 0, 2));
	retort_rows_free(rows);
}

int retort__op_rebuild(retort_db *db, const retort__op_call *call)
{
	retort_buf sql = RETORT_BUF_INIT;
	int error;

	if (db->dialect->id != LITE)
		return retort__error_set(RETORT_ERROR_INTERNAL, "table rebuild is for SQLite only");
	if ((error = need(call->table, "table name")) < 0 || (error = rebuild_sql(&sql, db, call)) < 0)
		goto done;
	if (!sql.size)
		goto done; /* the table is already so */
	/* A savepoint makes it all or nothing, in the revision's transaction or in one of its own. */
	if ((error = retort_db_exec(db, "SAVEPOINT retort_rebuild")) < 0)
		goto done;
	if ((error = retort_db_exec(db, sql.ptr)) < 0) {
		/* Keep the real error: the cleanup cannot fail in a useful way here. */
		retort_rows *none = NULL;
		name_violations(db, call->table);
		if (!strstr(retort_error_last()->message, "rebuilding table"))
			retort__error_prefix("rebuilding table '%s'", call->table);
		retort_db_query(&none, db, "ROLLBACK TO retort_rebuild", 0, NULL);
		retort_rows_free(none);
		none = NULL;
		retort_db_query(&none, db, "RELEASE retort_rebuild", 0, NULL);
		retort_rows_free(none);
		goto done;
	}
	if ((error = retort_db_exec(db, "RELEASE retort_rebuild")) < 0)
		retort__error_prefix("rebuilding table '%s'", call->table);
done:
	retort_buf_dispose(&sql);
	return error;
}
