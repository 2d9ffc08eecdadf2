/*
 * test_schema_diff.c - the diff engine on in-memory models: dependency
 * order of creates and drops, foreign-key cycles, column order, rename
 * detection and the rename option, and the canonical model equality.
 */
#include <stdlib.h>
#include <string.h>

#include "harness/suites.h"
#include "schema/schema.h"

static retort_table *table(retort_model *m, const char *name)
{
	retort_table *t = retort_model_add_table(m, m->dialect == RETORT_DIALECT_POSTGRES ? "public" : NULL, name);
	retort_model_column *c = retort_table_add_column(t, "id", "integer");
	retort_model_constraint *pk;

	c->notnull = true;
	pk = retort_table_add_constraint(t, RETORT_CON_PRIMARY, m->dialect == RETORT_DIALECT_POSTGRES ? "pk" : NULL);
	retort__strvec_add(&pk->columns, "id");
	return t;
}

static retort_model_constraint *fk(retort_model *m, retort_table *t, const char *col, const char *ref)
{
	retort_model_constraint *c;
	char *name = retort__sprintf("%s_%s_fkey", t->name, col);

	retort_table_add_column(t, col, "integer");
	c = retort_table_add_constraint(t, RETORT_CON_FOREIGN, m->dialect == RETORT_DIALECT_POSTGRES ? name : NULL);
	free(name);
	retort__strvec_add(&c->columns, col);
	c->ref_schema = retort__strdup(t->schema);
	c->ref_table = retort__strdup(ref);
	retort__strvec_add(&c->ref_columns, "id");
	return c;
}

static retort_diff *diff(retort_model *a, retort_model *b, const retort_vec *renames)
{
	retort_diff *d = NULL;
	retort_diff_opts opts = { renames };

	retort_model_sort(a);
	retort_model_sort(b);
	ck_assert_int_eq(retort_schema_diff(&d, a, b, &opts), 0);
	return d;
}

static char *ops_text(const retort_diff *d)
{
	retort_buf b = RETORT_BUF_INIT;

	for (size_t i = 0; i < d->ops.len; i++) {
		retort_op *op = d->ops.items[i];
		retort_buf_printf(&b, "%s ", retort_op_kind_name(op->kind));
		retort_op_target(&b, op);
		retort_buf_putc(&b, '\n');
	}
	return retort_buf_detach(&b);
}

static char *script(const retort_diff *d)
{
	retort_buf b = RETORT_BUF_INIT;

	retort_diff_render(&b, d);
	return retort_buf_detach(&b);
}

START_TEST(test_schema_diff__creates_referenced_tables_first)
{
	retort_model *a = retort_model_new(RETORT_DIALECT_POSTGRES), *b = retort_model_new(RETORT_DIALECT_POSTGRES);
	retort_diff *d;
	char *text;

	/* "a_child" sorts before "b_parent" but references it. */
	fk(b, table(b, "a_child"), "parent_id", "b_parent");
	table(b, "b_parent");
	d = diff(a, b, NULL);
	text = ops_text(d);
	ck_assert_msg(strcmp(text, "create_table public.b_parent\ncreate_table public.a_child\n") == 0,
		"ops for empty -> {a_child -> b_parent}:\n%s", text);
	free(text);
	retort_diff_free(d);

	/* And the reverse drops the child first. */
	d = diff(b, a, NULL);
	text = ops_text(d);
	ck_assert_msg(strcmp(text, "drop_table public.a_child\ndrop_table public.b_parent\n") == 0,
		"ops for {a_child -> b_parent} -> empty:\n%s", text);
	free(text);
	retort_diff_free(d);
	retort_model_free(a);
	retort_model_free(b);
}
END_TEST

START_TEST(test_schema_diff__fk_cycle_is_broken_with_alter)
{
	retort_model *a = retort_model_new(RETORT_DIALECT_POSTGRES), *b = retort_model_new(RETORT_DIALECT_POSTGRES);
	retort_diff *d;
	char *text, *sql;

	fk(b, table(b, "x"), "y_id", "y");
	fk(b, table(b, "y"), "x_id", "x");
	d = diff(a, b, NULL);
	text = ops_text(d);
	ck_assert_msg(strcmp(text, "create_table public.y\ncreate_table public.x\nadd_constraint public.y.y_x_id_fkey\n") == 0,
		"cycle x <-> y gave:\n%s", text);
	sql = script(d);
	ck_assert_msg(strstr(sql, "ALTER TABLE \"public\".\"y\" ADD CONSTRAINT \"y_x_id_fkey\" FOREIGN KEY (\"x_id\") "
		"REFERENCES \"public\".\"x\" (\"id\");\n") != NULL, "cycle SQL:\n%s", sql);
	/* The first CREATE TABLE must not reference the table created after it. */
	ck_assert_msg(strstr(sql, "REFERENCES") > strstr(sql, "CREATE TABLE \"public\".\"x\""), "cycle SQL:\n%s", sql);
	free(text);
	free(sql);
	retort_diff_free(d);

	/* Dropping the cycle drops one key first. */
	d = diff(b, a, NULL);
	text = ops_text(d);
	ck_assert_msg(strncmp(text, "drop_constraint ", 16) == 0, "drop cycle gave:\n%s", text);
	free(text);
	retort_diff_free(d);
	retort_model_free(a);
	retort_model_free(b);
}
END_TEST

START_TEST(test_schema_diff__sqlite_cycle_stays_inline)
{
	retort_model *a = retort_model_new(RETORT_DIALECT_SQLITE), *b = retort_model_new(RETORT_DIALECT_SQLITE);
	retort_diff *d;
	char *text;

	fk(b, table(b, "x"), "y_id", "y");
	fk(b, table(b, "y"), "x_id", "x");
	d = diff(a, b, NULL);
	text = ops_text(d);
	ck_assert_msg(strcmp(text, "create_table y\ncreate_table x\n") == 0, "sqlite cycle gave:\n%s", text);
	free(text);
	retort_diff_free(d);
	retort_model_free(a);
	retort_model_free(b);
}
END_TEST

START_TEST(test_schema_diff__column_order_is_not_a_difference)
{
	retort_model *a = retort_model_new(RETORT_DIALECT_POSTGRES), *b = retort_model_new(RETORT_DIALECT_POSTGRES);
	retort_table *ta = table(a, "t"), *tb = table(b, "t");
	retort_diff *d;

	retort_table_add_column(ta, "x", "text");
	retort_table_add_column(ta, "y", "bigint");
	retort_table_add_column(tb, "y", "bigint");
	retort_table_add_column(tb, "x", "text");
	d = diff(a, b, NULL);
	ck_assert_msg(d->ops.len == 0, "columns (x, y) vs (y, x) gave %zu ops", d->ops.len);
	ck_assert(retort_model_equal(a, b));
	retort_diff_free(d);
	((retort_model_column *)tb->columns.items[2])->notnull = true;
	retort_model_sort(b);
	ck_assert(!retort_model_equal(a, b));
	retort_model_free(a);
	retort_model_free(b);
}
END_TEST

START_TEST(test_schema_diff__possible_rename_is_reported)
{
	retort_model *a = retort_model_new(RETORT_DIALECT_POSTGRES), *b = retort_model_new(RETORT_DIALECT_POSTGRES);
	retort_vec renames = RETORT_VEC_INIT;
	retort_diff *d;
	char *text, *sql;

	retort_table_add_column(table(a, "users"), "name", "text");
	retort_table_add_column(table(b, "users"), "full_name", "text");
	d = diff(a, b, NULL);
	ck_assert_uint_eq(d->notes.len, 1);
	ck_assert_msg(strstr(d->notes.items[0], "possible rename") && strstr(d->notes.items[0], "--rename users.name=full_name"),
		"note: %s", (char *)d->notes.items[0]);
	text = ops_text(d);
	ck_assert_msg(strstr(text, "drop_column public.users.name") && strstr(text, "add_column public.users.full_name"),
		"without --rename: %s", text);
	free(text);
	sql = script(d);
	ck_assert_msg(strstr(sql, "-- destructive: drops column \"name\""), "drop column SQL lacks the comment:\n%s", sql);
	ck_assert_msg(strncmp(sql, "-- note: possible rename: column 'name'", 39) == 0, "the script lacks the note:\n%s", sql);
	free(sql);
	retort_diff_free(d);

	retort__strvec_add(&renames, "users.name=full_name");
	d = diff(a, b, &renames);
	text = ops_text(d);
	ck_assert_msg(strcmp(text, "rename_column public.users.full_name\n") == 0, "with --rename: %s", text);
	sql = script(d);
	ck_assert_str_eq(sql, "ALTER TABLE \"public\".\"users\" RENAME COLUMN \"name\" TO \"full_name\";\n");
	ck_assert_uint_eq(d->notes.len, 0);
	free(text);
	free(sql);
	retort_diff_free(d);
	retort_vec_dispose(&renames, true);
	retort_model_free(a);
	retort_model_free(b);
}
END_TEST

START_TEST(test_schema_diff__bad_rename_is_a_usage_error)
{
	retort_model *a = retort_model_new(RETORT_DIALECT_POSTGRES), *b = retort_model_new(RETORT_DIALECT_POSTGRES);
	retort_vec renames = RETORT_VEC_INIT;
	retort_diff_opts opts = { &renames };
	retort_diff *d = NULL;
	const char *bad[] = { "nodot=x", "users.name", "users.nosuch=full_name" };

	retort_table_add_column(table(a, "users"), "name", "text");
	retort_table_add_column(table(b, "users"), "full_name", "text");
	retort_model_sort(a);
	retort_model_sort(b);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		retort_vec_clear(&renames);
		retort_vec_push(&renames, (void *)bad[i]);
		ck_assert_msg(retort_schema_diff(&d, a, b, &opts) == RETORT_EUSAGE, "rename '%s' accepted", bad[i]);
		ck_assert_ptr_null(d);
	}
	retort_vec_dispose(&renames, false);
	retort_model_free(a);
	retort_model_free(b);
}
END_TEST

START_TEST(test_schema_diff__renames_invert)
{
	retort_vec in = RETORT_VEC_INIT, out = RETORT_VEC_INIT;

	retort__strvec_add(&in, "users.name=full_name");
	retort__strvec_add(&in, "app.users.a=b");
	retort_schema_renames_invert(&out, &in);
	ck_assert_str_eq(out.items[0], "users.full_name=name");
	ck_assert_str_eq(out.items[1], "app.users.b=a");
	retort_vec_dispose(&in, true);
	retort_vec_dispose(&out, true);
}
END_TEST

START_TEST(test_schema_diff__mixed_dialects_refused)
{
	retort_model *a = retort_model_new(RETORT_DIALECT_POSTGRES), *b = retort_model_new(RETORT_DIALECT_SQLITE);
	retort_diff *d = NULL;

	ck_assert_int_eq(retort_schema_diff(&d, a, b, NULL), RETORT_EUSAGE);
	ck_assert_ptr_null(d);
	retort_model_free(a);
	retort_model_free(b);
}
END_TEST

START_TEST(test_schema_diff__views_over_changed_tables_are_recreated)
{
	retort_model *a = retort_model_new(RETORT_DIALECT_POSTGRES), *b = retort_model_new(RETORT_DIALECT_POSTGRES);
	retort_view *va, *vb;
	retort_diff *d;
	char *text;

	retort_table_add_column(table(a, "t"), "x", "text");
	retort_table_add_column(table(b, "t"), "x", "varchar(10)");
	va = retort_model_add_view(a, "public", "v", "SELECT t.x FROM t");
	vb = retort_model_add_view(b, "public", "v", "SELECT t.x FROM t");
	retort__strvec_add(&va->depends, "public.t");
	retort__strvec_add(&vb->depends, "public.t");
	d = diff(a, b, NULL);
	text = ops_text(d);
	ck_assert_msg(strcmp(text, "drop_view public.v\nalter_column public.t.x\ncreate_view public.v\n") == 0,
		"view over altered table: %s", text);
	free(text);
	retort_diff_free(d);
	retort_model_free(a);
	retort_model_free(b);
}
END_TEST

START_TEST(test_schema_diff__enum_values_are_added_in_place)
{
	retort_model *a = retort_model_new(RETORT_DIALECT_POSTGRES), *b = retort_model_new(RETORT_DIALECT_POSTGRES);
	retort_enum *ea = retort_model_add_enum(a, "public", "mood"), *eb = retort_model_add_enum(b, "public", "mood");
	retort_diff *d;
	char *sql;

	retort__strvec_add(&ea->labels, "sad");
	retort__strvec_add(&ea->labels, "happy");
	retort__strvec_add(&eb->labels, "sad");
	retort__strvec_add(&eb->labels, "ok");
	retort__strvec_add(&eb->labels, "happy");
	retort__strvec_add(&eb->labels, "ecstatic");
	d = diff(a, b, NULL);
	sql = script(d);
	ck_assert_str_eq(sql, "ALTER TYPE \"public\".\"mood\" ADD VALUE 'ok' BEFORE 'happy';\n"
		"ALTER TYPE \"public\".\"mood\" ADD VALUE 'ecstatic';\n");
	free(sql);
	retort_diff_free(d);
	retort_model_free(a);
	retort_model_free(b);
}
END_TEST

START_TEST(test_schema_diff__key_under_a_foreign_key_is_freed_first)
{
	retort_model *a = retort_model_new(RETORT_DIALECT_POSTGRES), *b = retort_model_new(RETORT_DIALECT_POSTGRES);
	retort_model_constraint *pk;
	retort_diff *d;
	char *text;

	/* users' primary key is renamed (a drop and an add); orders' key on it does not change. */
	table(a, "users");
	fk(a, table(a, "orders"), "user_id", "users");
	fk(b, table(b, "orders"), "user_id", "users");
	pk = retort_table_primary_key(table(b, "users"));
	free(pk->name);
	pk->name = retort__strdup("users_pk");
	d = diff(a, b, NULL);
	text = ops_text(d);
	ck_assert_msg(strcmp(text,
		"drop_constraint public.orders.orders_user_id_fkey\n"
		"drop_constraint public.users.pk\n"
		"add_constraint public.users.users_pk\n"
		"add_constraint public.orders.orders_user_id_fkey\n") == 0,
		"primary key renamed under a foreign key:\n%s", text);
	free(text);
	retort_diff_free(d);
	retort_model_free(a);
	retort_model_free(b);
}
END_TEST

START_TEST(test_schema_diff__dropped_tables_go_before_keys)
{
	retort_model *a = retort_model_new(RETORT_DIALECT_POSTGRES), *b = retort_model_new(RETORT_DIALECT_POSTGRES);
	retort_model_constraint *pk;
	retort_diff *d;
	char *text;

	/* taggings (referencing users.id) goes away while users' key moves to another column. */
	table(a, "users");
	fk(a, table(a, "taggings"), "user_id", "users");
	pk = retort_table_primary_key(table(b, "users"));
	retort_table_add_column(retort_model_table(b, "public", "users"), "user_id", "integer");
	free(pk->columns.items[0]);
	pk->columns.items[0] = retort__strdup("user_id");
	d = diff(a, b, NULL);
	text = ops_text(d);
	ck_assert_msg(strncmp(text, "drop_table public.taggings\ndrop_constraint public.users.pk\n", 58) == 0,
		"table under a moving key:\n%s", text);
	free(text);
	retort_diff_free(d);
	retort_model_free(a);
	retort_model_free(b);
}
END_TEST

START_TEST(test_schema_diff__views_over_views_in_order)
{
	retort_model *a = retort_model_new(RETORT_DIALECT_SQLITE), *b = retort_model_new(RETORT_DIALECT_SQLITE);
	retort_view *v;
	retort_diff *d;
	char *text;

	table(b, "t");
	/* "a_top" sorts first but reads "b_mid", which reads t. */
	v = retort_model_add_view(b, NULL, "a_top", "CREATE VIEW a_top AS SELECT * FROM b_mid");
	retort__strvec_add(&v->depends, "b_mid");
	v = retort_model_add_view(b, NULL, "b_mid", "CREATE VIEW b_mid AS SELECT * FROM t");
	retort__strvec_add(&v->depends, "t");
	d = diff(a, b, NULL);
	text = ops_text(d);
	ck_assert_msg(strcmp(text, "create_table t\ncreate_view b_mid\ncreate_view a_top\n") == 0, "create: %s", text);
	free(text);
	retort_diff_free(d);
	d = diff(b, a, NULL);
	text = ops_text(d);
	ck_assert_msg(strcmp(text, "drop_view a_top\ndrop_view b_mid\ndrop_table t\n") == 0, "drop: %s", text);
	free(text);
	retort_diff_free(d);
	retort_model_free(a);
	retort_model_free(b);
}
END_TEST

RETORT_SUITE(schema_diff)

Suite *suite_schema_diff(void)
{
	Suite *s = suite_create("schema_diff");
	TCase *order = tcase_create("order");
	TCase *match = tcase_create("match");
	TCase *rename = tcase_create("rename");

	tcase_add_test(order, test_schema_diff__creates_referenced_tables_first);
	tcase_add_test(order, test_schema_diff__fk_cycle_is_broken_with_alter);
	tcase_add_test(order, test_schema_diff__sqlite_cycle_stays_inline);
	tcase_add_test(order, test_schema_diff__views_over_changed_tables_are_recreated);
	tcase_add_test(order, test_schema_diff__key_under_a_foreign_key_is_freed_first);
	tcase_add_test(order, test_schema_diff__dropped_tables_go_before_keys);
	tcase_add_test(order, test_schema_diff__views_over_views_in_order);
	tcase_add_test(match, test_schema_diff__column_order_is_not_a_difference);
	tcase_add_test(match, test_schema_diff__mixed_dialects_refused);
	tcase_add_test(match, test_schema_diff__enum_values_are_added_in_place);
	tcase_add_test(rename, test_schema_diff__possible_rename_is_reported);
	tcase_add_test(rename, test_schema_diff__bad_rename_is_a_usage_error);
	tcase_add_test(rename, test_schema_diff__renames_invert);
	suite_add_tcase(s, order);
	suite_add_tcase(s, match);
	suite_add_tcase(s, rename);
	return s;
}
