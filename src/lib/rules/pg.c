/*
 * pg.c - the PostgreSQL rules, read off libpg_query's parse tree of one
 * statement (see rules.h): which rules it trips, the strongest table lock
 * it takes, and what the remembered schema learns from it.
 *
 * Locks are those PostgreSQL documents per command (ALTER TABLE: ACCESS
 * EXCLUSIVE unless the subcommand says less; an ALTER with several
 * subcommands takes the strongest).  Rules judge what the text says and,
 * where the text cannot say (a column's current type, whether a function
 * is volatile, whether a validated CHECK proves NOT NULL), ask the
 * remembered schema, then the database when there is one.  This file
 * does not settle levels or read nolint comments (check.c does).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/common.h"
#include "rules/rules_int.h"

#define NOLOC ((size_t)-1)

/* --- reading the tree --- */

static json_t *get(json_t *o, const char *key)
{
	return json_is_object(o) ? json_object_get(o, key) : NULL;
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(get(o, key));
}

static bool flag(json_t *o, const char *key)
{
	return json_is_true(get(o, key));
}

static size_t loc(json_t *o)
{
	json_t *l = get(o, "location");

	return json_is_integer(l) && json_integer_value(l) >= 0 ? (size_t)json_integer_value(l) : NOLOC;
}

/* {"Type": {...}}: the body when the node is of `type`, else NULL. */
static json_t *node(json_t *n, const char *type)
{
	return get(n, type);
}

/* The last String of a name list ([{"String": {"sval": "pg_catalog"}}, {"String": {"sval": "int4"}}]). */
static const char *last_name(json_t *list)
{
	size_t n = json_array_size(list);

	return n ? str(node(json_array_get(list, n - 1), "String"), "sval") : NULL;
}

/* [schema, name] of a DROP's object: a List of Strings (a bare String for a schema). */
static void object_name(json_t *obj, const char **schema, const char **name)
{
	json_t *items = get(node(obj, "List"), "items");
	size_t n = json_array_size(items);

	if (node(obj, "String")) {
		*schema = NULL;
		*name = str(node(obj, "String"), "sval");
		return;
	}

	*schema = n >= 2 ? str(node(json_array_get(items, n - 2), "String"), "sval") : NULL;
	*name = n ? str(node(json_array_get(items, n - 1), "String"), "sval") : NULL;
}

static void type_of(retort__rtype *t, json_t *type_name)
{
	json_t *mods = get(type_name, "typmods");
	const char *name = last_name(get(type_name, "names"));

	memset(t, 0, sizeof(*t));
	t->mods[0] = t->mods[1] = -1;
	if (!name)
		return;
	t->known = true;
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->array = json_array_size(get(type_name, "arrayBounds")) > 0;
	for (size_t i = 0; i < json_array_size(mods) && i < 2; i++) {
		json_t *ival = get(get(node(json_array_get(mods, i), "A_Const"), "ival"), "ival");
		/* an A_Const of 0 has no "ival" member in libpg_query's JSON */
		t->mods[i] = node(json_array_get(mods, i), "A_Const") ? (int)json_integer_value(ival) : -1;
	}
}

static bool is(const retort__rtype *t, const char *name)
{
	return t->known && !t->array && !strcmp(t->name, name);
}

/* --- advice on column types (R115, R116, R117) --- */

static bool int32_key(const retort__rtype *t)
{
	static const char *const names[] = { "int4", "int2", "serial", "serial4", "smallserial", "serial2" };

	for (size_t i = 0; i < RETORT_ARRAY_SIZE(names); i++)
		if (is(t, names[i]))
			return true;
	return false;
}

static void type_advice(retort_rules *r, const char *table, const char *column, const retort__rtype *t,
	size_t at)
{
	if (is(t, "timestamp"))
		retort__rules_emit(r, "R116", at, RETORT_LOCK_NONE, NULL, table,
			"column %s.%s is timestamp without time zone", table, column);
	if (is(t, "bpchar"))
		retort__rules_emit(r, "R117", at, RETORT_LOCK_NONE, NULL, table,
			"column %s.%s is char(%d)", table, column, t->mods[0] > 0 ? t->mods[0] : 1);
}

static void pk_advice(retort_rules *r, const char *table, const char *column, const retort__rtype *t,
	size_t at)
{
	if (t && int32_key(t))
		retort__rules_emit(r, "R115", at, RETORT_LOCK_NONE, NULL, table,
			"primary key %s.%s is %s (32-bit)", table, column,
			!strcmp(t->name, "int2") ? "smallint" : !strcmp(t->name, "int4") ? "integer" : t->name);
}

/* --- what a default computes --- */

static const char *const volatile_fns[] = {
	"random", "random_normal", "clock_timestamp", "timeofday", "gen_random_uuid", "gen_random_bytes",
	"uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "nextval", "setval",
};
static const char *const stable_fns[] = {
	"now", "transaction_timestamp", "statement_timestamp", "current_setting", "lower", "upper",
	"btrim", "ltrim", "rtrim", "concat", "concat_ws", "length", "date_trunc", "timezone", "to_char",
	"to_date", "to_timestamp", "make_date", "make_time", "make_timestamp", "make_timestamptz",
	"make_interval", "json_build_object", "jsonb_build_object", "json_build_array",
	"jsonb_build_array", "to_json", "to_jsonb", "abs", "round", "floor", "ceil", "md5",
	"replace", "substr", "uuid_nil", "array_fill", "int4range", "int8range", "tstzrange", "daterange",
};

static bool listed(const char *const *list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

/*
 * The first function of `expr` that is (or, offline, may be) volatile:
 * its name into `fn`; *sure is false when only the name suggests it.
 */
static bool volatile_call(retort_rules *r, json_t *expr, char *fn, size_t cap, bool *sure)
{
	const char *key;
	json_t *val;

	if (json_is_array(expr)) {
		for (size_t i = 0; i < json_array_size(expr); i++)
			if (volatile_call(r, json_array_get(expr, i), fn, cap, sure))
				return true;
		return false;
	}
	if (!json_is_object(expr))
		return false;
	if ((val = node(expr, "FuncCall"))) {
		const char *name = last_name(get(val, "funcname"));
		char v = name ? retort__facts_volatility(r, name) : 0;
		if (name && (v == 'v' || (!v && !listed(stable_fns, RETORT_ARRAY_SIZE(stable_fns), name)))) {
			snprintf(fn, cap, "%s()", name);
			*sure = v == 'v' || listed(volatile_fns, RETORT_ARRAY_SIZE(volatile_fns), name);
			return true;
		}
	}
	json_object_foreach(expr, key, val)
		if (volatile_call(r, val, fn, cap, sure))
			return true;
	return false;
}

/* --- CREATE TABLE --- */

static const char *rel_name(json_t *rv) { return str(rv, "relname"); }
static const char *rel_schema(json_t *rv) { return str(rv, "schemaname"); }

/* CHECK (col IS NOT NULL): the column, or NULL. */
static const char *not_null_test(json_t *expr)
{
	json_t *t = node(expr, "NullTest");

	if (!t || strcmp(str(t, "nulltesttype") ? str(t, "nulltesttype") : "", "IS_NOT_NULL"))
		return NULL;
	return last_name(get(node(get(t, "arg"), "ColumnRef"), "fields"));
}

bool retort__pg_check_is_not_null(const char *definition, char *column, size_t cap)
{
	/* pg_get_constraintdef says "CHECK ((x IS NOT NULL))": parse it as what it is. */
	char *sql = retort__sprintf("ALTER TABLE t ADD %s", definition);
	json_t *tree = NULL;
	const char *col = NULL;

	if (retort_sql_pg_parse(&tree, sql, strlen(sql)) == 0) {
		json_t *cmd = json_array_get(get(node(get(json_array_get(get(tree, "stmts"), 0), "stmt"),
			"AlterTableStmt"), "cmds"), 0);
		col = not_null_test(get(node(get(node(cmd, "AlterTableCmd"), "def"), "Constraint"), "raw_expr"));
		if (col)
			snprintf(column, cap, "%s", col);
	}
	json_decref(tree);
	free(sql);
	return col != NULL;
}

static void create_table(retort_rules *r, json_t *cs)
{
	json_t *rv = get(cs, "relation"), *elts = get(cs, "tableElts"), *e;
	const char *table = rel_name(rv);
	retort__mtable *t;
	size_t i, anon = 0;

	if (!table)
		return;
	/* PARTITION OF takes ACCESS EXCLUSIVE on the parent. */
	if (get(cs, "partbound")) {
		json_t *parent = node(json_array_get(get(cs, "inhRelations"), 0), "RangeVar");
		retort__rules_lock(r, RETORT_LOCK_ACCESS_EXCLUSIVE, rel_schema(parent), rel_name(parent));
	}
	t = retort__mem_create(&r->tables, table);
	retort_map_set(&r->created, table, (void *)1);
	json_array_foreach(elts, i, e) {
		json_t *col = node(e, "ColumnDef"), *con = node(e, "Constraint");
		if (col) {
			json_t *c;
			size_t k;
			retort__rtype type;
			const char *name = str(col, "colname");
			type_of(&type, get(col, "typeName"));
			retort__mem_column_set(t, name, &type);
			type_advice(r, table, name, &type, loc(col));
			json_array_foreach(get(col, "constraints"), k, c) {
				json_t *cc = node(c, "Constraint");
				const char *ct = str(cc, "contype");
				if (ct && !strcmp(ct, "CONSTR_PRIMARY"))
					pk_advice(r, table, name, &type, loc(col));
				else if (ct && !strcmp(ct, "CONSTR_FOREIGN"))
					retort__rules_lock(r, RETORT_LOCK_SHARE_ROW_EXCLUSIVE,
						rel_schema(get(cc, "pktable")), rel_name(get(cc, "pktable")));
			}
		} else if (con) {
			const char *ct = str(con, "contype") ? str(con, "contype") : "";
			if (!strcmp(ct, "CONSTR_PRIMARY") && json_array_size(get(con, "keys")) == 1) {
				const char *key = str(node(json_array_get(get(con, "keys"), 0), "String"), "sval");
				pk_advice(r, table, key, key ? retort__mem_column(t, key) : NULL, loc(con));
			} else if (!strcmp(ct, "CONSTR_FOREIGN")) {
				retort__rules_lock(r, RETORT_LOCK_SHARE_ROW_EXCLUSIVE,
					rel_schema(get(con, "pktable")), rel_name(get(con, "pktable")));
			} else if (!strcmp(ct, "CONSTR_CHECK")) {
				const char *nn = not_null_test(get(con, "raw_expr"));
				char anon_name[32];
				snprintf(anon_name, sizeof(anon_name), " check %zu", anon++);
				if (nn)
					retort__mem_check_add(t, str(con, "conname") ? str(con, "conname") : anon_name, nn, true);
			}
		}
	}
}

/* --- ALTER TABLE --- */

typedef struct alter {
	retort_rules *r;
	const char *schema, *table;
	bool existing;              /* not created earlier in this revision */
	retort__mtable *mem;
	retort_lock lock;           /* the strongest subcommand's */
} alter;

static void alter_lock(alter *a, retort_lock lock)
{
	if (lock > a->lock)
		a->lock = lock;
}

/* The column's type before this statement: remembered, else the database's. */
static void current_type(alter *a, const char *column, retort__rtype *out)
{
	const retort__rtype *m = retort__mem_column(a->mem, column);

	if (m && m->known)
		*out = *m;
	else
		retort__facts_column_type(a->r, a->schema, a->table, column, out);
}

/* Whether changing `from` to `to` needs no rewrite (binary-compatible, no USING). */
static bool no_rewrite(const retort__rtype *from, const retort__rtype *to)
{
	bool varchar_to = is(to, "varchar"), text_to = is(to, "text");

	if (!from->known || !to->known || from->array != to->array)
		return false;
	if (!strcmp(from->name, to->name) && from->mods[0] == to->mods[0] && from->mods[1] == to->mods[1])
		return true;
	if (is(from, "varchar") && (text_to || (varchar_to && (to->mods[0] < 0 ||
			(from->mods[0] >= 0 && to->mods[0] >= from->mods[0])))))
		return true;
	if (is(from, "text") && varchar_to && to->mods[0] < 0)
		return true;
	/* numeric(p, s) to numeric(p2 >= p, s) or unconstrained numeric */
	if (is(from, "numeric") && is(to, "numeric") && (to->mods[0] < 0 ||
			(from->mods[0] >= 0 && to->mods[0] >= from->mods[0] &&
			 (to->mods[1] < 0 ? 0 : to->mods[1]) == (from->mods[1] < 0 ? 0 : from->mods[1]))))
		return true;
	if (is(from, "cidr") && is(to, "inet"))
		return true;
	return false;
}

static void type_text(retort_buf *b, const retort__rtype *t)
{
	retort_buf_puts(b, t->name);
	if (t->mods[0] >= 0 && t->mods[1] >= 0)
		retort_buf_printf(b, "(%d,%d)", t->mods[0], t->mods[1]);
	else if (t->mods[0] >= 0)
		retort_buf_printf(b, "(%d)", t->mods[0]);
	if (t->array)
		retort_buf_puts(b, "[]");
}

static void alter_type(alter *a, json_t *cmd, size_t at)
{
	json_t *def = node(get(cmd, "def"), "ColumnDef");
	const char *column = str(cmd, "name");
	retort__rtype from, to;
	retort_buf b = RETORT_BUF_INIT;

	type_of(&to, get(def, "typeName"));
	type_advice(a->r, a->table, column, &to, at);
	if (a->existing) {
		current_type(a, column, &from);
		if (get(def, "raw_default") || !no_rewrite(&from, &to)) {
			type_text(&b, &to);
			if (get(def, "raw_default"))
				retort__rules_emit(a->r, "R109", at, RETORT_LOCK_ACCESS_EXCLUSIVE, a->schema, a->table,
					"ALTER COLUMN %s TYPE %s USING ... rewrites %s", column, b.ptr, a->table);
			else if (from.known) {
				retort_buf fb = RETORT_BUF_INIT;
				type_text(&fb, &from);
				retort__rules_emit(a->r, "R109", at, RETORT_LOCK_ACCESS_EXCLUSIVE, a->schema, a->table,
					"ALTER COLUMN %s TYPE %s rewrites %s (from %s)", column, b.ptr, a->table, fb.ptr);
				retort_buf_dispose(&fb);
			} else {
				retort__rules_emit(a->r, "R109", at, RETORT_LOCK_ACCESS_EXCLUSIVE, a->schema, a->table,
					"ALTER COLUMN %s TYPE %s rewrites %s unless the change is binary-compatible "
					"(its current type is unknown here: lint with --db to know)", column, b.ptr, a->table);
			}
		}
	}
	retort__mem_column_set(a->mem, column, &to);
	retort_buf_dispose(&b);
}

static void add_column(alter *a, json_t *cmd, size_t at)
{
	json_t *col = node(get(cmd, "def"), "ColumnDef"), *c, *dflt = NULL;
	const char *column = str(col, "colname");
	bool not_null = false, fills = false, pk = false, unique = false;
	const char *rewrite = NULL;
	char fn[80];
	bool sure = true;
	retort__rtype type;
	size_t i;

	type_of(&type, get(col, "typeName"));
	type_advice(a->r, a->table, column, &type, at);
	if (type.known && strstr(type.name, "serial"))
		rewrite = "a serial (a nextval() default)", fills = true;
	json_array_foreach(get(col, "constraints"), i, c) {
		json_t *cc = node(c, "Constraint");
		const char *ct = str(cc, "contype") ? str(cc, "contype") : "";
		if (!strcmp(ct, "CONSTR_NOTNULL"))
			not_null = true;
		else if (!strcmp(ct, "CONSTR_DEFAULT"))
			dflt = get(cc, "raw_expr"), fills = true;
		else if (!strcmp(ct, "CONSTR_IDENTITY"))
			rewrite = "an identity", fills = true;
		else if (!strcmp(ct, "CONSTR_GENERATED"))
			rewrite = "a stored generated column", fills = true;
		else if (!strcmp(ct, "CONSTR_PRIMARY"))
			pk = not_null = unique = true;
		else if (!strcmp(ct, "CONSTR_UNIQUE"))
			unique = true;
	}
	if (pk)
		pk_advice(a->r, a->table, column, &type, at);
	retort__mem_column_set(a->mem, column, &type);
	if (!a->existing)
		return;
	if (!rewrite && dflt && volatile_call(a->r, dflt, fn, sizeof(fn), &sure))
		rewrite = fn;
	if (rewrite)
		retort__rules_emit(a->r, "R104", at, RETORT_LOCK_ACCESS_EXCLUSIVE, a->schema, a->table,
			"ADD COLUMN %s with %s%s rewrites %s", column, rewrite,
			rewrite == fn ? (sure ? " (volatile)" : " (not known to be stable: lint with --db to know)") : "",
			a->table);
	if (not_null && !fills)
		retort__rules_emit(a->r, "R105", at, RETORT_LOCK_ACCESS_EXCLUSIVE, a->schema, a->table,
			"ADD COLUMN %s NOT NULL without a default fails if %s has rows", column, a->table);
	if (unique)
		retort__rules_emit(a->r, "R114", at, RETORT_LOCK_ACCESS_EXCLUSIVE, a->schema, a->table,
			"ADD COLUMN %s %s builds its index on %s under ACCESS EXCLUSIVE", column,
			pk ? "PRIMARY KEY" : "UNIQUE", a->table);
}

static void add_constraint(alter *a, json_t *cmd, size_t at)
{
	json_t *con = node(get(cmd, "def"), "Constraint");
	const char *ct = str(con, "contype") ? str(con, "contype") : "";
	const char *name = str(con, "conname") ? str(con, "conname") : "(unnamed)";
	bool checked = !flag(con, "skip_validation");

	if (!strcmp(ct, "CONSTR_FOREIGN")) {
		json_t *pk = get(con, "pktable");
		/* the referenced table gets the same lock; the statement names the altered one */
		alter_lock(a, RETORT_LOCK_SHARE_ROW_EXCLUSIVE);
		if (a->existing && checked)
			retort__rules_emit(a->r, "R107", at, RETORT_LOCK_SHARE_ROW_EXCLUSIVE, a->schema, a->table,
				"ADD CONSTRAINT %s FOREIGN KEY without NOT VALID checks every row of %s while "
				"blocking writes to %s and %s", name, a->table, a->table, rel_name(pk) ? rel_name(pk) : "?");
		return;
	}
	alter_lock(a, RETORT_LOCK_ACCESS_EXCLUSIVE);
	if (!strcmp(ct, "CONSTR_CHECK")) {
		const char *nn = not_null_test(get(con, "raw_expr"));
		if (nn)
			retort__mem_check_add(a->mem, name, nn, checked);
		if (a->existing && checked)
			retort__rules_emit(a->r, "R108", at, RETORT_LOCK_ACCESS_EXCLUSIVE, a->schema, a->table,
				"ADD CONSTRAINT %s CHECK without NOT VALID scans %s under ACCESS EXCLUSIVE", name, a->table);
	} else if (a->existing && (!strcmp(ct, "CONSTR_UNIQUE") || !strcmp(ct, "CONSTR_PRIMARY") ||
			!strcmp(ct, "CONSTR_EXCLUSION")) && !str(con, "indexname")) {
		retort__rules_emit(a->r, "R114", at, RETORT_LOCK_ACCESS_EXCLUSIVE, a->schema, a->table,
			"ADD CONSTRAINT %s %s builds its index on %s under ACCESS EXCLUSIVE", name,
			!strcmp(ct, "CONSTR_UNIQUE") ? "UNIQUE" : !strcmp(ct, "CONSTR_PRIMARY") ? "PRIMARY KEY" : "EXCLUDE",
			a->table);
	}
	if (!strcmp(ct, "CONSTR_PRIMARY") && json_array_size(get(con, "keys")) == 1) {
		const char *key = str(node(json_array_get(get(con, "keys"), 0), "String"), "sval");
		retort__rtype type;
		if (key) {
			current_type(a, key, &type);
			pk_advice(a->r, a->table, key, &type, at);
		}
	}
}

static void alter_cmd(alter *a, json_t *cmd)
{
	static const char *const share_update[] = {
		"AT_ValidateConstraint", "AT_SetStatistics", "AT_ClusterOn", "AT_DropCluster", "AT_SetOptions",
		"AT_ResetOptions", "AT_SetRelOptions", "AT_ResetRelOptions", "AT_AttachPartition",
	};
	static const char *const rewrites[] = { "AT_SetLogged", "AT_SetUnLogged", "AT_SetTableSpace", "AT_SetAccessMethod" };
	const char *sub = str(cmd, "subtype") ? str(cmd, "subtype") : "";
	const char *column = str(cmd, "name");
	size_t at = loc(node(get(cmd, "def"), "ColumnDef"));

	if (at == NOLOC)
		at = loc(node(get(cmd, "def"), "Constraint"));
	if (listed(share_update, RETORT_ARRAY_SIZE(share_update), sub)) {
		alter_lock(a, RETORT_LOCK_SHARE_UPDATE_EXCLUSIVE);
		if (!strcmp(sub, "AT_ValidateConstraint") && column)
			retort__mem_check_validate(a->mem, column);
		return;
	}
	if (strstr(sub, "Trig")) { /* ENABLE / DISABLE TRIGGER */
		alter_lock(a, RETORT_LOCK_SHARE_ROW_EXCLUSIVE);
		return;
	}
	if (!strcmp(sub, "AT_DetachPartition")) {
		bool concurrent = flag(node(get(cmd, "def"), "PartitionCmd"), "concurrent");
		alter_lock(a, concurrent ? RETORT_LOCK_SHARE_UPDATE_EXCLUSIVE : RETORT_LOCK_ACCESS_EXCLUSIVE);
		if (concurrent && a->r->transactional)
			retort__rules_emit(a->r, "R103", NOLOC, RETORT_LOCK_SHARE_UPDATE_EXCLUSIVE, a->schema, a->table,
				"DETACH PARTITION ... CONCURRENTLY cannot run inside a transaction");
		return;
	}
	if (!strcmp(sub, "AT_AddConstraint")) {
		add_constraint(a, cmd, at);
		return;
	}
	alter_lock(a, RETORT_LOCK_ACCESS_EXCLUSIVE);
	if (!strcmp(sub, "AT_AddColumn")) {
		add_column(a, cmd, at);
	} else if (!strcmp(sub, "AT_AlterColumnType")) {
		alter_type(a, cmd, at);
	} else if (!strcmp(sub, "AT_DropColumn")) {
		if (a->existing)
			retort__rules_emit(a->r, "R110", NOLOC, RETORT_LOCK_ACCESS_EXCLUSIVE, a->schema, a->table,
				"DROP COLUMN %s.%s", a->table, column ? column : "?");
		retort__mem_column_drop(a->mem, column);
	} else if (!strcmp(sub, "AT_SetNotNull")) {
		if (a->existing && column && !retort__mem_notnull_proven(a->mem, column) &&
				!retort__facts_notnull_check(a->r, a->schema, a->table, column))
			retort__rules_emit(a->r, "R106", NOLOC, RETORT_LOCK_ACCESS_EXCLUSIVE, a->schema, a->table,
				"ALTER COLUMN %s SET NOT NULL scans %s under ACCESS EXCLUSIVE: no validated "
				"CHECK (%s IS NOT NULL) is known", column, a->table, column);
	} else if (!strcmp(sub, "AT_DropConstraint")) {
		retort__mem_constraint_drop(a->mem, column);
	} else if (listed(rewrites, RETORT_ARRAY_SIZE(rewrites), sub) && a->existing) {
		retort__rules_emit(a->r, "R121", NOLOC, RETORT_LOCK_ACCESS_EXCLUSIVE, a->schema, a->table,
			"ALTER TABLE %s %s rewrites the table", a->table,
			!strcmp(sub, "AT_SetTableSpace") ? "SET TABLESPACE" : !strcmp(sub, "AT_SetAccessMethod")
			? "SET ACCESS METHOD" : !strcmp(sub, "AT_SetLogged") ? "SET LOGGED" : "SET UNLOGGED");
	}
}

static void alter_table(retort_rules *r, json_t *as)
{
	json_t *rv = get(as, "relation"), *cmd;
	const char *objtype = str(as, "objtype") ? str(as, "objtype") : "";
	alter a = { r, rel_schema(rv), rel_name(rv), false, NULL, RETORT_LOCK_NONE };
	size_t i;

	if (!a.table)
		return;
	if (strcmp(objtype, "OBJECT_TABLE") != 0) {
		/* ALTER INDEX, VIEW, SEQUENCE ...: locks the object itself, no table rule */
		retort__rules_lock(r, RETORT_LOCK_ACCESS_EXCLUSIVE, a.schema, a.table);
		return;
	}
	a.existing = !retort__rules_created_here(r, a.table);
	a.mem = retort__mem_table(&r->tables, a.table);
	if (!a.mem)
		a.mem = retort__mem_create(&r->tables, a.table); /* learnt from here on */
	json_array_foreach(get(as, "cmds"), i, cmd)
		alter_cmd(&a, node(cmd, "AlterTableCmd"));
	retort__rules_lock(r, a.lock, a.schema, a.table);
}

/* --- other statements --- */

static void create_index(retort_rules *r, json_t *is)
{
	json_t *rv = get(is, "relation");
	const char *table = rel_name(rv), *name = str(is, "idxname");
	bool concurrent = flag(is, "concurrent");

	retort__rules_lock(r, concurrent ? RETORT_LOCK_SHARE_UPDATE_EXCLUSIVE : RETORT_LOCK_SHARE,
		rel_schema(rv), table);
	if (concurrent && r->transactional)
		retort__rules_emit(r, "R103", NOLOC, RETORT_LOCK_SHARE_UPDATE_EXCLUSIVE, rel_schema(rv), table,
			"CREATE INDEX CONCURRENTLY cannot run inside a transaction");
	else if (!concurrent && table && !retort__rules_created_here(r, table))
		retort__rules_emit(r, "R101", NOLOC, RETORT_LOCK_SHARE, rel_schema(rv), table,
			"CREATE %sINDEX%s%s on %s without CONCURRENTLY blocks writes to %s until it is built",
			flag(is, "unique") ? "UNIQUE " : "", name ? " " : "", name ? name : "", table, table);
	if (name && table) {
		free(retort_map_set(&r->indexes, name, retort__strdup(table)));
		retort_map_set(&r->created_indexes, name, (void *)1);
	}
}

static void drop(retort_rules *r, json_t *ds)
{
	const char *type = str(ds, "removeType") ? str(ds, "removeType") : "";
	bool concurrent = flag(ds, "concurrent");
	json_t *obj;
	size_t i;

	json_array_foreach(get(ds, "objects"), i, obj) {
		const char *schema, *name, *table;
		object_name(obj, &schema, &name);
		if (!name)
			continue;
		if (!strcmp(type, "OBJECT_TABLE")) {
			retort__rules_lock(r, RETORT_LOCK_ACCESS_EXCLUSIVE, schema, name);
			if (!retort__rules_created_here(r, name))
				retort__rules_emit(r, "R111", NOLOC, RETORT_LOCK_ACCESS_EXCLUSIVE, schema, name,
					"DROP TABLE %s", name);
			retort__mem_drop(&r->tables, name);
		} else if (!strcmp(type, "OBJECT_INDEX")) {
			table = retort_map_get(&r->indexes, name);
			retort__rules_lock(r, concurrent ? RETORT_LOCK_SHARE_UPDATE_EXCLUSIVE : RETORT_LOCK_ACCESS_EXCLUSIVE,
				schema, table);
			if (concurrent && r->transactional)
				retort__rules_emit(r, "R103", NOLOC, RETORT_LOCK_SHARE_UPDATE_EXCLUSIVE, schema, table,
					"DROP INDEX CONCURRENTLY cannot run inside a transaction");
			else if (!concurrent && !retort_map_has(&r->created_indexes, name) &&
					!(table && retort__rules_created_here(r, table)))
				retort__rules_emit(r, "R102", NOLOC, RETORT_LOCK_ACCESS_EXCLUSIVE, schema, table,
					"DROP INDEX %s without CONCURRENTLY locks %s against reads and writes", name,
					table ? table : "its table");
		} else if (!strcmp(type, "OBJECT_SCHEMA")) {
			retort__rules_emit(r, "R111", NOLOC, RETORT_LOCK_ACCESS_EXCLUSIVE, NULL, NULL,
				"DROP SCHEMA %s drops every table in it", name);
		} else if (!strcmp(type, "OBJECT_VIEW") || !strcmp(type, "OBJECT_MATVIEW")) {
			retort__rules_lock(r, RETORT_LOCK_ACCESS_EXCLUSIVE, schema, name);
		}
	}
}

static void rename_stmt(retort_rules *r, json_t *rs)
{
	const char *type = str(rs, "renameType") ? str(rs, "renameType") : "";
	json_t *rv = get(rs, "relation");
	const char *table = rel_name(rv), *to = str(rs, "newname");
	bool existing = table && !retort__rules_created_here(r, table);

	if (!strcmp(type, "OBJECT_INDEX")) {
		/* ALTER INDEX ... RENAME: SHARE UPDATE EXCLUSIVE since PostgreSQL 12 */
		retort__rules_lock(r, RETORT_LOCK_SHARE_UPDATE_EXCLUSIVE, rel_schema(rv), table);
		return;
	}
	retort__rules_lock(r, RETORT_LOCK_ACCESS_EXCLUSIVE, rel_schema(rv), table);
	if (!table || !to)
		return;
	if (!strcmp(type, "OBJECT_COLUMN")) {
		if (existing)
			retort__rules_emit(r, "R112", NOLOC, RETORT_LOCK_ACCESS_EXCLUSIVE, rel_schema(rv), table,
				"RENAME COLUMN %s.%s TO %s", table, str(rs, "subname"), to);
		retort__mem_column_rename(retort__mem_table(&r->tables, table), str(rs, "subname"), to);
	} else if (!strcmp(type, "OBJECT_TABLE")) {
		if (existing)
			retort__rules_emit(r, "R113", NOLOC, RETORT_LOCK_ACCESS_EXCLUSIVE, rel_schema(rv), table,
				"RENAME TABLE %s TO %s", table, to);
		retort__mem_rename(&r->tables, table, to);
		if (!existing)
			retort_map_set(&r->created, to, (void *)1);
	}
}

static void dml(retort_rules *r, json_t *body, const char *verb)
{
	json_t *rv = get(body, "relation");
	const char *table = rel_name(rv);

	retort__rules_lock(r, RETORT_LOCK_ROW_EXCLUSIVE, rel_schema(rv), table);
	if (strcmp(verb, "INSERT") && !get(body, "whereClause") && r->has_ddl && table &&
			!retort__rules_created_here(r, table))
		retort__rules_emit(r, "R119", NOLOC, RETORT_LOCK_ROW_EXCLUSIVE, rel_schema(rv), table,
			"%s without WHERE writes every row of %s in a revision that also changes the schema", verb, table);
}

static bool has_option(json_t *options, const char *name)
{
	json_t *o;
	size_t i;

	json_array_foreach(options, i, o) {
		const char *d = str(node(o, "DefElem"), "defname");
		if (d && !strcmp(d, name))
			return true;
	}
	return false;
}

static void maintenance(retort_rules *r, json_t *tree, const char *type)
{
	json_t *body = node(tree, type), *rv = NULL;
	bool full = false;

	if (!strcmp(type, "VacuumStmt")) {
		rv = get(node(json_array_get(get(body, "rels"), 0), "VacuumRelation"), "relation");
		full = has_option(get(body, "options"), "full");
		retort__rules_lock(r, full ? RETORT_LOCK_ACCESS_EXCLUSIVE : RETORT_LOCK_SHARE_UPDATE_EXCLUSIVE,
			rel_schema(rv), rel_name(rv));
		if (flag(body, "is_vacuumcmd") && r->transactional)
			retort__rules_emit(r, "R103", NOLOC, RETORT_LOCK_NONE, NULL, NULL,
				"VACUUM cannot run inside a transaction");
	} else if (!strcmp(type, "ClusterStmt")) {
		rv = get(body, "relation");
		full = true;
		retort__rules_lock(r, RETORT_LOCK_ACCESS_EXCLUSIVE, rel_schema(rv), rel_name(rv));
	} else if (!strcmp(type, "ReindexStmt")) {
		const char *kind = str(body, "kind") ? str(body, "kind") : "";
		const char *table;
		bool concurrent;
		rv = get(body, "relation");
		concurrent = has_option(get(body, "params"), "concurrently");
		table = !strcmp(kind, "REINDEX_OBJECT_INDEX") && rel_name(rv)
			? retort_map_get(&r->indexes, rel_name(rv)) : rel_name(rv);
		retort__rules_lock(r, concurrent ? RETORT_LOCK_SHARE_UPDATE_EXCLUSIVE : RETORT_LOCK_SHARE,
			rel_schema(rv), table);
		if (concurrent && r->transactional)
			retort__rules_emit(r, "R103", NOLOC, RETORT_LOCK_NONE, NULL, table,
				"REINDEX ... CONCURRENTLY cannot run inside a transaction");
		else if (!concurrent && (!table || !retort__rules_created_here(r, table)))
			retort__rules_emit(r, "R101", NOLOC, RETORT_LOCK_SHARE, rel_schema(rv), table,
				"REINDEX without CONCURRENTLY blocks writes to %s until it is rebuilt",
				table ? table : "the table");
		return;
	}
	if (full && (!rel_name(rv) || !retort__rules_created_here(r, rel_name(rv))))
		retort__rules_emit(r, "R121", NOLOC, RETORT_LOCK_ACCESS_EXCLUSIVE, rel_schema(rv), rel_name(rv),
			"%s rewrites %s under ACCESS EXCLUSIVE", !strcmp(type, "ClusterStmt") ? "CLUSTER" : "VACUUM FULL",
			rel_name(rv) ? rel_name(rv) : "every table");
}

static void lock_stmt(retort_rules *r, json_t *ls)
{
	static const retort_lock modes[] = {
		RETORT_LOCK_NONE, RETORT_LOCK_ACCESS_SHARE, RETORT_LOCK_ROW_SHARE, RETORT_LOCK_ROW_EXCLUSIVE,
		RETORT_LOCK_SHARE_UPDATE_EXCLUSIVE, RETORT_LOCK_SHARE, RETORT_LOCK_SHARE_ROW_EXCLUSIVE,
		RETORT_LOCK_EXCLUSIVE, RETORT_LOCK_ACCESS_EXCLUSIVE,
	};
	json_int_t mode = json_integer_value(get(ls, "mode"));
	json_t *rel;
	size_t i;

	json_array_foreach(get(ls, "relations"), i, rel) {
		json_t *rv = node(rel, "RangeVar");
		retort__rules_lock(r, mode > 0 && mode < (json_int_t)RETORT_ARRAY_SIZE(modes) ? modes[mode]
			: RETORT_LOCK_ACCESS_EXCLUSIVE, rel_schema(rv), rel_name(rv));
	}
}

void retort__pg_statement(retort_rules *r, json_t *stmt, const retort_sql_class *cls)
{
	static const char *const no_tx[] = { "CreatedbStmt", "DropdbStmt", "AlterSystemStmt",
		"CreateTableSpaceStmt", "DropTableSpaceStmt" };
	json_t *body;
	const char *type = NULL, *key;
	json_t *val;

	(void)cls;
	json_object_foreach(stmt, key, val)
		type = key;
	if (!type)
		return;
	body = get(stmt, type);
	if (!strcmp(type, "CreateStmt"))
		create_table(r, body);
	else if (!strcmp(type, "CreateTableAsStmt")) {
		const char *t = rel_name(get(get(body, "into"), "rel"));
		if (t) {
			retort__mem_create(&r->tables, t);
			retort_map_set(&r->created, t, (void *)1);
		}
	} else if (!strcmp(type, "AlterTableStmt"))
		alter_table(r, body);
	else if (!strcmp(type, "IndexStmt"))
		create_index(r, body);
	else if (!strcmp(type, "DropStmt"))
		drop(r, body);
	else if (!strcmp(type, "RenameStmt"))
		rename_stmt(r, body);
	else if (!strcmp(type, "UpdateStmt"))
		dml(r, body, "UPDATE");
	else if (!strcmp(type, "DeleteStmt"))
		dml(r, body, "DELETE");
	else if (!strcmp(type, "InsertStmt") || !strcmp(type, "MergeStmt"))
		dml(r, body, "INSERT");
	else if (!strcmp(type, "TruncateStmt")) {
		json_t *rel;
		size_t i;
		json_array_foreach(get(body, "relations"), i, rel) {
			json_t *rv = node(rel, "RangeVar");
			retort__rules_lock(r, RETORT_LOCK_ACCESS_EXCLUSIVE, rel_schema(rv), rel_name(rv));
			if (rel_name(rv) && !retort__rules_created_here(r, rel_name(rv)))
				retort__rules_emit(r, "R120", NOLOC, RETORT_LOCK_ACCESS_EXCLUSIVE, rel_schema(rv),
					rel_name(rv), "TRUNCATE %s", rel_name(rv));
		}
	} else if (!strcmp(type, "VacuumStmt") || !strcmp(type, "ClusterStmt") || !strcmp(type, "ReindexStmt"))
		maintenance(r, stmt, type);
	else if (!strcmp(type, "LockStmt"))
		lock_stmt(r, body);
	else if (!strcmp(type, "CreateTrigStmt"))
		retort__rules_lock(r, RETORT_LOCK_SHARE_ROW_EXCLUSIVE, rel_schema(get(body, "relation")),
			rel_name(get(body, "relation")));
	else if (!strcmp(type, "CreateStatsStmt") || !strcmp(type, "CommentStmt"))
		retort__rules_lock(r, RETORT_LOCK_SHARE_UPDATE_EXCLUSIVE, NULL, NULL);
	else if (!strcmp(type, "RefreshMatViewStmt"))
		retort__rules_lock(r, flag(body, "concurrent") ? RETORT_LOCK_EXCLUSIVE : RETORT_LOCK_ACCESS_EXCLUSIVE,
			rel_schema(get(body, "relation")), rel_name(get(body, "relation")));
	else if (!strcmp(type, "SelectStmt"))
		retort__rules_lock(r, json_array_size(get(body, "lockingClause")) ? RETORT_LOCK_ROW_SHARE
			: RETORT_LOCK_ACCESS_SHARE, NULL, NULL);
	else if (listed(no_tx, RETORT_ARRAY_SIZE(no_tx), type) && r->transactional)
		retort__rules_emit(r, "R103", NOLOC, RETORT_LOCK_NONE, NULL, NULL,
			"%s cannot run inside a transaction", cls->command);
}
