/*
 * test_schema_render.c - the SQL each dialect renders for in-memory diffs:
 * PostgreSQL ALTER COLUMN sequences and comments, the SQLite move-and-copy
 * batch with its foreign-key handling, destructive markers and quoting;
 * and the SQLite CREATE-text scanner behind reflection.
 */
#include <stdlib.h>
#include <string.h>

#include "harness/suites.h"
#include "schema/schema.h"
#include "schema/sdialect.h"
#include "schema/sqlparse.h"

static char *render(retort_model *a, retort_model *b)
{
	retort_diff *d = NULL;
	retort_buf out = RETORT_BUF_INIT;

	retort_model_sort(a);
	retort_model_sort(b);
	ck_assert_int_eq(retort_schema_diff(&d, a, b, NULL), 0);
	retort_diff_render(&out, d);
	retort_diff_free(d);
	return retort_buf_detach(&out);
}

START_TEST(test_schema_render__pg_alter_column)
{
	retort_model *a = retort_model_new(RETORT_DIALECT_POSTGRES), *b = retort_model_new(RETORT_DIALECT_POSTGRES);
	retort_model_column *ca = retort_table_add_column(retort_model_add_table(a, "public", "t"), "n", "text");
	retort_model_column *cb = retort_table_add_column(retort_model_add_table(b, "public", "t"), "n", "integer");
	char *sql;

	ca->default_expr = retort__strdup("'1'::text");
	cb->default_expr = retort__strdup("7");
	cb->notnull = true;
	cb->comment = retort__strdup("it's a number");
	sql = render(a, b);
	ck_assert_str_eq(sql,
		"ALTER TABLE \"public\".\"t\" ALTER COLUMN \"n\" DROP DEFAULT;\n"
		"-- destructive: changes the type of column \"n\" from text to integer (values are converted)\n"
		"ALTER TABLE \"public\".\"t\" ALTER COLUMN \"n\" TYPE integer USING \"n\"::integer;\n"
		"ALTER TABLE \"public\".\"t\" ALTER COLUMN \"n\" SET DEFAULT 7;\n"
		"-- column \"n\" becomes NOT NULL: where it is NULL it takes its default\n"
		"UPDATE \"public\".\"t\" SET \"n\" = DEFAULT WHERE \"n\" IS NULL;\n"
		"ALTER TABLE \"public\".\"t\" ALTER COLUMN \"n\" SET NOT NULL;\n"
		"COMMENT ON COLUMN \"public\".\"t\".\"n\" IS 'it''s a number';\n");
	free(sql);
	retort_model_free(a);
	retort_model_free(b);
}
END_TEST

/* Widening a type keeps every value: no destructive mark; narrowing or converting gets one. */
START_TEST(test_schema_render__pg_widening_is_not_destructive)
{
	static const struct { const char *from, *to; bool destructive; } cases[] = {
		{ "character varying(50)", "character varying(100)", false },
		{ "character varying(50)", "text", false },
		{ "character varying(50)", "character varying", false },
		{ "integer", "bigint", false },
		{ "smallint", "integer", false },
		{ "integer", "numeric(12,0)", false },
		{ "numeric(10,2)", "numeric(12,3)", false },
		{ "numeric(10,2)", "numeric", false },
		{ "real", "double precision", false },
		{ "character varying(100)", "character varying(50)", true },
		{ "bigint", "integer", true },
		{ "integer", "numeric(5,0)", true },
		{ "numeric(10,2)", "numeric(10,3)", true },
		{ "text", "integer", true },
		{ "numeric", "numeric(10,2)", true },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		retort_model *a = retort_model_new(RETORT_DIALECT_POSTGRES), *b = retort_model_new(RETORT_DIALECT_POSTGRES);
		retort_diff *d = NULL;
		retort_buf out = RETORT_BUF_INIT;

		retort_table_add_column(retort_model_add_table(a, "public", "t"), "c", cases[i].from);
		retort_table_add_column(retort_model_add_table(b, "public", "t"), "c", cases[i].to);
		retort_model_sort(a);
		retort_model_sort(b);
		ck_assert_int_eq(retort_schema_diff(&d, a, b, NULL), 0);
		retort_diff_render(&out, d);
		ck_assert_msg((strstr(out.ptr, "-- destructive:") != NULL) == cases[i].destructive &&
			((retort_op *)d->ops.items[0])->destructive == cases[i].destructive,
			"%s -> %s:\n%s", cases[i].from, cases[i].to, out.ptr);
		ck_assert_msg(strstr(out.ptr, "TYPE ") != NULL, "%s -> %s: no type change:\n%s", cases[i].from, cases[i].to, out.ptr);
		retort_buf_dispose(&out);
		retort_diff_free(d);
		retort_model_free(a);
		retort_model_free(b);
	}
}
END_TEST

/* An added NOT NULL column without a default fails on a table with rows: the script says so. */
START_TEST(test_schema_render__add_not_null_column_warns)
{
	retort_dialect_id dialects[] = { RETORT_DIALECT_POSTGRES, RETORT_DIALECT_SQLITE };

	for (size_t i = 0; i < 2; i++) {
		retort_model *a = retort_model_new(dialects[i]), *b = retort_model_new(dialects[i]);
		const char *schema = dialects[i] == RETORT_DIALECT_POSTGRES ? "public" : NULL;
		retort_table *tb;
		char *sql;

		retort_table_add_column(retort_model_add_table(a, schema, "t"), "id", "integer");
		tb = retort_model_add_table(b, schema, "t");
		retort_table_add_column(tb, "id", "integer");
		retort_table_add_column(tb, "must", "integer")->notnull = true;
		retort_table_add_column(tb, "fine", "integer")->notnull = false;
		sql = render(a, b);
		ck_assert_msg(strstr(sql, "-- warning: column \"must\" is added NOT NULL without a default: "
			"this fails if \"t\" has rows") && !strstr(sql, "\"fine\" is added"), "%d:\n%s", (int)i, sql);
		free(sql);
		/* With a default: no warning. */
		retort_table_column(tb, "must")->default_expr = retort__strdup("0");
		sql = render(a, b);
		ck_assert_msg(!strstr(sql, "warning"), "%d with a default:\n%s", (int)i, sql);
		free(sql);
		retort_model_free(a);
		retort_model_free(b);
	}
}
END_TEST

START_TEST(test_schema_render__pg_identity_and_quoting)
{
	retort_model *a = retort_model_new(RETORT_DIALECT_POSTGRES), *b = retort_model_new(RETORT_DIALECT_POSTGRES);
	retort_table *t = retort_model_add_table(b, "odd \"schema\"", "Order");
	retort_model_column *c = retort_table_add_column(t, "select", "bigint");
	char *sql;

	c->identity = 'a';
	c->notnull = true;
	retort__strvec_add(&b->schemas, "odd \"schema\"");
	sql = render(a, b);
	ck_assert_str_eq(sql,
		"CREATE SCHEMA \"odd \"\"schema\"\"\";\n"
		"CREATE TABLE \"odd \"\"schema\"\"\".\"Order\" (\n"
		"\t\"select\" bigint GENERATED ALWAYS AS IDENTITY NOT NULL\n"
		");\n");
	free(sql);
	sql = render(b, a);
	ck_assert_msg(strstr(sql, "-- destructive: drops table \"Order\" and its rows\nDROP TABLE") &&
		strstr(sql, "-- destructive: drops schema"), "drop SQL:\n%s", sql);
	ck_assert_msg(strstr(sql, "DROP TABLE") < strstr(sql, "DROP SCHEMA"), "schema dropped before its table:\n%s", sql);
	free(sql);
	retort_model_free(a);
	retort_model_free(b);
}
END_TEST

START_TEST(test_schema_render__pg_enum_to_enum_goes_through_text)
{
	retort_model *a = retort_model_new(RETORT_DIALECT_POSTGRES), *b = retort_model_new(RETORT_DIALECT_POSTGRES);
	char *sql;

	retort__strvec_add(&retort_model_add_enum(a, "public", "old_state")->labels, "on");
	retort__strvec_add(&retort_model_add_enum(b, "public", "new_state")->labels, "on");
	retort_table_add_column(retort_model_add_table(a, "public", "t"), "s", "old_state");
	retort_table_add_column(retort_model_add_table(b, "public", "t"), "s", "new_state");
	sql = render(a, b);
	ck_assert_msg(strstr(sql, "ALTER TABLE \"public\".\"t\" ALTER COLUMN \"s\" TYPE new_state USING \"s\"::text::new_state;\n") &&
		strstr(sql, "CREATE TYPE") < strstr(sql, "ALTER TABLE") && strstr(sql, "DROP TYPE") > strstr(sql, "ALTER TABLE"),
		"enum to enum:\n%s", sql);
	free(sql);
	retort_model_free(a);
	retort_model_free(b);
}
END_TEST

static retort_table *lite_table(retort_model *m, bool with_check)
{
	retort_table *t = retort_model_add_table(m, NULL, "items");
	retort_model_constraint *pk;
	retort_index *x;

	retort_table_add_column(t, "id", "INTEGER");
	retort_table_add_column(t, "name", "TEXT")->notnull = true;
	pk = retort_table_add_constraint(t, RETORT_CON_PRIMARY, NULL);
	retort__strvec_add(&pk->columns, "id");
	x = retort_table_add_index(t, "items_name");
	retort__strvec_add(&x->keys, "\"name\"");
	if (with_check)
		retort_table_add_constraint(t, RETORT_CON_CHECK, NULL)->expr = retort__strdup("length(name) > 0");
	return t;
}

START_TEST(test_schema_render__sqlite_rebuild_keeps_rows)
{
	retort_model *a = retort_model_new(RETORT_DIALECT_SQLITE), *b = retort_model_new(RETORT_DIALECT_SQLITE);
	char *sql;

	retort_table_add_column(lite_table(a, false), "gone", "BLOB");
	lite_table(b, true);
	sql = render(a, b);
	ck_assert_str_eq(sql,
		"-- stop unless \"items\" has exactly the columns this script was made from\n"
		"WITH \"expected\" (\"name\") AS (VALUES ('id'), ('name'), ('gone')),\n"
		"\"live\" AS (SELECT \"name\" FROM pragma_table_xinfo('items') WHERE \"hidden\" <> 1)\n"
		"SELECT json_extract('{}', '$ ' || 'stop: table \"items\" is not what this script was made from "
		"(changed outside the migrations?): ' || coalesce('unexpected column(s) ' || \"u\" || '; ', '')\n"
		"\t|| coalesce('missing column(s) ' || \"m\" || '; ', '') || 'rebuilding it would lose data: "
		"see ''retort drift''')\n"
		"FROM (SELECT (SELECT group_concat('\"' || \"name\" || '\"', ', ') FROM \"live\" "
		"WHERE lower(\"name\") NOT IN (SELECT lower(\"name\") FROM \"expected\")) AS \"u\",\n"
		"\t(SELECT group_concat('\"' || \"name\" || '\"', ', ') FROM \"expected\" "
		"WHERE lower(\"name\") NOT IN (SELECT lower(\"name\") FROM \"live\")) AS \"m\")\n"
		"WHERE \"u\" IS NOT NULL OR \"m\" IS NOT NULL;\n"
		"-- tables are rebuilt or dropped: foreign keys deferred until the check at the end\n"
		"PRAGMA defer_foreign_keys = ON;\n"
		"-- batch: rebuild \"items\" by move and copy (SQLite cannot ALTER this in place)\n"
		"CREATE TABLE \"_retort_new_items\" (\n"
		"\t\"id\" INTEGER,\n"
		"\t\"name\" TEXT NOT NULL,\n"
		"\tPRIMARY KEY (\"id\"),\n"
		"\tCHECK (length(name) > 0)\n"
		");\n"
		"INSERT INTO \"_retort_new_items\" (\"id\", \"name\") SELECT \"id\", \"name\" FROM \"items\";\n"
		"-- destructive: drops column(s) \"gone\" of \"items\" and their values\n"
		"DROP TABLE \"items\";\n"
		"CREATE TABLE \"items\" (\n"
		"\t\"id\" INTEGER,\n"
		"\t\"name\" TEXT NOT NULL,\n"
		"\tPRIMARY KEY (\"id\"),\n"
		"\tCHECK (length(name) > 0)\n"
		");\n"
		"INSERT INTO \"items\" (\"id\", \"name\") SELECT \"id\", \"name\" FROM \"_retort_new_items\";\n"
		"DROP TABLE \"_retort_new_items\";\n"
		"CREATE INDEX \"items_name\" ON \"items\" (\"name\");\n"
		"-- foreign key check: fail if these changes broke a reference (violations elsewhere predate them)\n"
		"CREATE TEMP TABLE \"_retort_fk_check\" (violations INTEGER CONSTRAINT "
		"\"foreign keys broken by this script (PRAGMA foreign_key_check lists them)\" CHECK (violations = 0));\n"
		"-- \"items\" was rebuilt: all its foreign keys\n"
		"INSERT INTO \"_retort_fk_check\" SELECT count(*) FROM pragma_foreign_key_check('items');\n"
		"DROP TABLE \"_retort_fk_check\";\n");
	free(sql);
	retort_model_free(a);
	retort_model_free(b);
}
END_TEST

/*
 * The rows pass through a holding table that has no foreign keys (dropping
 * the old table must not cascade into it) and land in a table created
 * under the old name, not renamed into it.
 */
START_TEST(test_schema_render__sqlite_rebuild_holds_rows_without_foreign_keys)
{
	retort_model *a = retort_model_new(RETORT_DIALECT_SQLITE), *b = retort_model_new(RETORT_DIALECT_SQLITE);
	retort_model_constraint *fk;
	const char *hold, *final;
	char *sql;

	lite_table(a, false);
	retort_table_add_column(lite_table(b, true), "up", "INTEGER");
	fk = retort_table_add_constraint(retort_model_table(b, NULL, "items"), RETORT_CON_FOREIGN, NULL);
	retort__strvec_add(&fk->columns, "up");
	fk->ref_table = retort__strdup("items");
	fk->on_delete = RETORT_FK_CASCADE;
	fk->on_update = RETORT_FK_NO_ACTION;
	sql = render(a, b);
	hold = strstr(sql, "CREATE TABLE \"_retort_new_items\"");
	final = strstr(sql, "CREATE TABLE \"items\"");
	ck_assert_msg(hold && final && hold < final, "no holding table before the new one:\n%s", sql);
	ck_assert_msg(strstr(hold, "FOREIGN KEY") > final, "the holding table has a foreign key:\n%s", sql);
	ck_assert_msg(strstr(final, "FOREIGN KEY (\"up\") REFERENCES \"items\" ON DELETE CASCADE"),
		"the new table lost its foreign key:\n%s", sql);
	ck_assert_msg(!strstr(sql, "RENAME"), "a table is renamed:\n%s", sql);
	free(sql);
	retort_model_free(a);
	retort_model_free(b);
}
END_TEST

/* A table `name` (id, r) whose r references `ref` (none when NULL). */
static retort_table *fk_table(retort_model *m, const char *name, const char *ref)
{
	retort_table *t = retort_model_add_table(m, NULL, name);
	retort_model_constraint *c;

	retort_table_add_column(t, "id", "INTEGER");
	retort_table_add_column(t, "r", "INTEGER");
	retort__strvec_add(&retort_table_add_constraint(t, RETORT_CON_PRIMARY, NULL)->columns, "id");
	if (ref) {
		c = retort_table_add_constraint(t, RETORT_CON_FOREIGN, NULL);
		retort__strvec_add(&c->columns, "r");
		c->ref_table = retort__strdup(ref);
		c->on_delete = c->on_update = RETORT_FK_NO_ACTION;
	}
	return t;
}

/*
 * The check at the end covers what the script can break and nothing else,
 * in the diff's order (drops before rebuilds): a rebuilt table's own keys; the rows of tables left at the end that point
 * at a rebuilt or dropped table, against that table only (matched without
 * case, as SQLite does); not a table rebuilt too (checked whole), dropped
 * too, or unrelated.  Names are literals there and stay on one comment line.
 */
START_TEST(test_schema_render__sqlite_fk_check_scope)
{
	static const char *const names[] = { "p'a\nr", "kid", "rekid", "other", "u", "gone", "gone_kid", "stay" };
	static const char *const refs_a[] = { NULL, "P'A\nR", "p'a\nr", "u", NULL, NULL, "gone", "gone" };
	retort_model *a = retort_model_new(RETORT_DIALECT_SQLITE), *b = retort_model_new(RETORT_DIALECT_SQLITE);
	char *sql;
	const char *check;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		fk_table(a, names[i], refs_a[i]);
		if (strcmp(names[i], "gone") != 0 && strcmp(names[i], "gone_kid") != 0)
			fk_table(b, names[i], refs_a[i]);
	}
	retort_table_column(retort_model_table(b, NULL, "p'a\nr"), "r")->notnull = true;
	retort_table_column(retort_model_table(b, NULL, "rekid"), "r")->notnull = true;
	sql = render(a, b);
	check = strstr(sql, "-- foreign key check");
	ck_assert_msg(check != NULL, "no check:\n%s", sql);
	ck_assert_str_eq(check,
		"-- foreign key check: fail if these changes broke a reference (violations elsewhere predate them)\n"
		"CREATE TEMP TABLE \"_retort_fk_check\" (violations INTEGER CONSTRAINT "
		"\"foreign keys broken by this script (PRAGMA foreign_key_check lists them)\" CHECK (violations = 0));\n"
		"-- \"stay\" references \"gone\": only its rows that point there\n"
		"INSERT INTO \"_retort_fk_check\" SELECT count(*) FROM pragma_foreign_key_check('stay') "
		"WHERE \"parent\" = 'gone' COLLATE NOCASE;\n"
		"-- \"p'a r\" was rebuilt: all its foreign keys\n"
		"INSERT INTO \"_retort_fk_check\" SELECT count(*) FROM pragma_foreign_key_check('p''a\nr');\n"
		"-- \"kid\" references \"p'a r\": only its rows that point there\n"
		"INSERT INTO \"_retort_fk_check\" SELECT count(*) FROM pragma_foreign_key_check('kid') "
		"WHERE \"parent\" = 'p''a\nr' COLLATE NOCASE;\n"
		"-- \"rekid\" was rebuilt: all its foreign keys\n"
		"INSERT INTO \"_retort_fk_check\" SELECT count(*) FROM pragma_foreign_key_check('rekid');\n"
		"DROP TABLE \"_retort_fk_check\";\n");
	free(sql);
	retort_model_free(a);
	retort_model_free(b);
}
END_TEST

/* Dropping tables nobody left references: nothing to check. */
START_TEST(test_schema_render__sqlite_fk_check_nothing_left)
{
	retort_model *a = retort_model_new(RETORT_DIALECT_SQLITE), *b = retort_model_new(RETORT_DIALECT_SQLITE);
	char *sql;

	fk_table(a, "gone", NULL);
	fk_table(a, "gone_kid", "gone");
	fk_table(a, "u", NULL);
	fk_table(b, "u", NULL);
	sql = render(a, b);
	ck_assert_msg(strstr(sql, "DROP TABLE \"gone\";\n"
		"-- no table left references a dropped one: no foreign key to check\n") &&
		!strstr(sql, "_retort_fk_check") && !strstr(sql, "pragma_table_xinfo"), "drops only:\n%s", sql);
	free(sql);
	retort_model_free(a);
	retort_model_free(b);
}
END_TEST

/*
 * The copy converts what SQLite would otherwise coerce with an explicit
 * CAST (marked destructive when numbers are made of text), leaves a
 * widening alone, and fills a column that becomes NOT NULL from its default.
 */
START_TEST(test_schema_render__sqlite_copy_casts_and_fills)
{
	retort_model *a = retort_model_new(RETORT_DIALECT_SQLITE), *b = retort_model_new(RETORT_DIALECT_SQLITE);
	retort_table *ta = lite_table(a, false), *tb = lite_table(b, false);
	retort_model_column *c;
	char *sql;

	retort_table_add_column(ta, "price", "TEXT");
	retort_table_add_column(tb, "price", "REAL");
	retort_table_add_column(ta, "code", "INTEGER");
	retort_table_add_column(tb, "code", "TEXT");
	retort_table_add_column(ta, "label", "VARCHAR(50)");
	retort_table_add_column(tb, "label", "VARCHAR(100)");
	retort_table_add_column(ta, "note", "TEXT");
	c = retort_table_add_column(tb, "note", "TEXT");
	c->notnull = true;
	c->default_expr = retort__strdup("''");
	retort_table_add_column(ta, "at", "TEXT");
	c = retort_table_add_column(tb, "at", "TEXT");
	c->notnull = true;
	c->default_expr = retort__strdup("CURRENT_TIMESTAMP || 'x'");
	sql = render(a, b);
	ck_assert_msg(strstr(sql, "SELECT \"id\", \"name\", CAST(\"price\" AS REAL), CAST(\"code\" AS TEXT), \"label\", "
		"coalesce(\"note\", ''), coalesce(\"at\", (CURRENT_TIMESTAMP || 'x')) FROM \"items\";\n") != NULL,
		"the copy:\n%s", sql);
	ck_assert_msg(strstr(sql, "-- destructive: converts column \"price\" from TEXT to REAL with CAST") != NULL,
		"text to a number is destructive:\n%s", sql);
	ck_assert_msg(strstr(sql, "-- converts column \"code\" from INTEGER to TEXT with CAST\n") != NULL &&
		!strstr(sql, "destructive: converts column \"code\""), "a number to text is not:\n%s", sql);
	ck_assert_msg(!strstr(sql, "\"label\" from"), "a widening is no conversion:\n%s", sql);
	ck_assert_msg(strstr(sql, "-- column \"note\" becomes NOT NULL: where it is NULL it takes its default\n") != NULL,
		"the fill is said:\n%s", sql);
	free(sql);
	retort_model_free(a);
	retort_model_free(b);
}
END_TEST

START_TEST(test_schema_render__sqlite_add_column_in_place)
{
	retort_model *a = retort_model_new(RETORT_DIALECT_SQLITE), *b = retort_model_new(RETORT_DIALECT_SQLITE);
	retort_model_column *c;
	char *sql;

	lite_table(a, false);
	c = retort_table_add_column(lite_table(b, false), "qty", "INTEGER");
	c->notnull = true;
	c->default_expr = retort__strdup("0");
	sql = render(a, b);
	ck_assert_str_eq(sql, "ALTER TABLE \"items\" ADD COLUMN \"qty\" INTEGER NOT NULL DEFAULT 0;\n");
	free(sql);
	/* A non-constant default cannot be added in place: rebuild. */
	free(c->default_expr);
	c->default_expr = retort__strdup("abs(-1)");
	sql = render(a, b);
	ck_assert_msg(strstr(sql, "\"qty\" INTEGER NOT NULL DEFAULT (abs(-1))") && strstr(sql, "INSERT INTO \"items\" (\"id\", \"name\", \"qty\") SELECT"),
		"non-constant default:\n%s", sql);
	free(sql);
	retort_model_free(a);
	retort_model_free(b);
}
END_TEST

START_TEST(test_schema_render__sqlparse_table)
{
	retort__lite_tabledef def;
	retort__lite_coldef *c;

	retort__sqlparse_parse_table(&def,
		"CREATE TABLE \"t\" (id INTEGER PRIMARY KEY AUTOINCREMENT, -- a comment, with (parens\n"
		" [na,me] TEXT COLLATE nocase CONSTRAINT nm CHECK (length(\"na,me\") < 10) DEFAULT ('x,y'),\n"
		" g INT GENERATED ALWAYS AS (id * 2) STORED, p INT REFERENCES t(id) DEFERRABLE INITIALLY DEFERRED,\n"
		" CONSTRAINT pos CHECK (id > 0), FOREIGN KEY (g) REFERENCES t (id) NOT DEFERRABLE) WITHOUT ROWID");
	ck_assert_uint_eq(def.columns.len, 4);
	c = retort__sqlparse_tabledef_column(&def, "id");
	ck_assert(c && c->autoincrement);
	c = retort__sqlparse_tabledef_column(&def, "na,me");
	ck_assert(c && c->collation && strcmp(c->collation, "nocase") == 0);
	c = retort__sqlparse_tabledef_column(&def, "g");
	ck_assert(c && c->generated && c->stored);
	ck_assert_str_eq(c->generated, "id * 2");
	ck_assert_uint_eq(def.checks.len, 2);
	ck_assert_str_eq(((retort__lite_check *)def.checks.items[0])->name, "nm");
	ck_assert_str_eq(((retort__lite_check *)def.checks.items[0])->expr, "length(\"na,me\") < 10");
	ck_assert_str_eq(((retort__lite_check *)def.checks.items[1])->expr, "id > 0");
	ck_assert_uint_eq(def.fks.len, 2);
	ck_assert(((retort__lite_fkdef *)def.fks.items[0])->deferred);
	ck_assert(!((retort__lite_fkdef *)def.fks.items[1])->deferrable);
	ck_assert(def.without_rowid);
	retort__sqlparse_tabledef_dispose(&def);
}
END_TEST

/* CONSTRAINT names of keys, wherever they are declared; a name given to NOT NULL names nothing kept. */
START_TEST(test_schema_render__sqlparse_constraint_names)
{
	retort__lite_tabledef def;
	retort__lite_keydef *k;

	retort__sqlparse_parse_table(&def,
		"CREATE TABLE u (id INTEGER CONSTRAINT \"u pk\" PRIMARY KEY, email TEXT CONSTRAINT nn NOT NULL "
		"CONSTRAINT uq_users_email UNIQUE, a INT CONSTRAINT fk_a REFERENCES u (id), b TEXT UNIQUE, c INT, "
		"CONSTRAINT uq_bc UNIQUE (b COLLATE nocase DESC, [c]), CONSTRAINT fk_c FOREIGN KEY (c) REFERENCES u)");
	ck_assert_str_eq(def.pk_name, "u pk");
	ck_assert_uint_eq(def.uniques.len, 3);
	k = def.uniques.items[0];
	ck_assert_str_eq(k->name, "uq_users_email");
	ck_assert_uint_eq(k->columns.len, 1);
	ck_assert_str_eq(k->columns.items[0], "email");
	k = def.uniques.items[1];
	ck_assert_ptr_null(k->name);
	ck_assert_str_eq(k->columns.items[0], "b");
	k = def.uniques.items[2];
	ck_assert_str_eq(k->name, "uq_bc");
	ck_assert_uint_eq(k->columns.len, 2);
	ck_assert_str_eq(k->columns.items[0], "b");
	ck_assert_str_eq(k->columns.items[1], "c");
	ck_assert_uint_eq(def.fks.len, 2);
	ck_assert_str_eq(((retort__lite_fkdef *)def.fks.items[0])->name, "fk_a");
	ck_assert_str_eq(((retort__lite_fkdef *)def.fks.items[1])->name, "fk_c");
	retort__sqlparse_tabledef_dispose(&def);
}
END_TEST

START_TEST(test_schema_render__sqlparse_index)
{
	retort_vec keys = RETORT_VEC_INIT;
	char *where = NULL, *name;

	retort__sqlparse_parse_index(&keys, &where,
		"CREATE UNIQUE INDEX \"i\" ON t (lower( name ), \"a,b\" DESC) WHERE  a > 1 AND b = 'x  y'");
	ck_assert_uint_eq(keys.len, 2);
	ck_assert_str_eq(keys.items[0], "lower( name )");
	ck_assert_str_eq(keys.items[1], "\"a,b\" DESC");
	ck_assert_str_eq(where, "a > 1 AND b = 'x  y'");
	free(where);
	retort_vec_dispose(&keys, true);
	name = retort__sqlparse_trigger_name("CREATE TRIGGER IF NOT EXISTS main.\"tr x\" AFTER INSERT ON t BEGIN SELECT 1; END");
	ck_assert_str_eq(name, "tr x");
	free(name);
}
END_TEST

RETORT_SUITE(schema_render)

Suite *suite_schema_render(void)
{
	Suite *s = suite_create("schema_render");
	TCase *pg = tcase_create("postgres");
	TCase *lite = tcase_create("sqlite");
	TCase *parse = tcase_create("sqlparse");

	tcase_add_test(pg, test_schema_render__pg_alter_column);
	tcase_add_test(pg, test_schema_render__pg_identity_and_quoting);
	tcase_add_test(pg, test_schema_render__pg_widening_is_not_destructive);
	tcase_add_test(pg, test_schema_render__add_not_null_column_warns);
	tcase_add_test(lite, test_schema_render__sqlite_copy_casts_and_fills);
	tcase_add_test(pg, test_schema_render__pg_enum_to_enum_goes_through_text);
	tcase_add_test(lite, test_schema_render__sqlite_rebuild_keeps_rows);
	tcase_add_test(lite, test_schema_render__sqlite_rebuild_holds_rows_without_foreign_keys);
	tcase_add_test(lite, test_schema_render__sqlite_fk_check_scope);
	tcase_add_test(lite, test_schema_render__sqlite_fk_check_nothing_left);
	tcase_add_test(lite, test_schema_render__sqlite_add_column_in_place);
	tcase_add_test(parse, test_schema_render__sqlparse_table);
	tcase_add_test(parse, test_schema_render__sqlparse_index);
	tcase_add_test(parse, test_schema_render__sqlparse_constraint_names);
	suite_add_tcase(s, pg);
	suite_add_tcase(s, lite);
	suite_add_tcase(s, parse);
	return s;
}
