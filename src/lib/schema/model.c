/*
 * model.c - building, ordering, comparing and freeing schema models (see
 * model.h).
 *
 * Equality is defined through one canonical text (retort_model_dump): every
 * element prints as one line whose content is what matters for a migration,
 * columns are printed sorted by name so that column order never counts, and
 * two models are equal exactly when their dumps are.  The diff engine uses
 * the same per-element canonical texts, so "equal" and "diff is empty" can
 * never disagree.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/model.h"

char *retort__qualname(const char *schema, const char *name)
{
	return schema ? retort__sprintf("%s.%s", schema, name) : retort__strdup(name);
}

char *retort__sql_squeeze(const char *sql)
{
	retort_buf b = RETORT_BUF_INIT;
	bool space = false;

	for (const char *p = sql; *p; p++) {
		char c = *p;
		if (c == '\'' || c == '"' || c == '`' || c == '[') {
			char close = c == '[' ? ']' : c;
			if (space && b.size)
				retort_buf_putc(&b, ' ');
			space = false;
			retort_buf_putc(&b, c);
			for (p++; *p; p++) {
				retort_buf_putc(&b, *p);
				if (*p == close) {
					if (close != ']' && p[1] == close) {
						retort_buf_putc(&b, *++p);
						continue;
					}
					break;
				}
			}
			if (!*p)
				break;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			space = true;
			continue;
		}
		if (space && b.size)
			retort_buf_putc(&b, ' ');
		space = false;
		retort_buf_putc(&b, c);
	}
	return retort_buf_detach(&b);
}

void retort__strvec_add(retort_vec *v, const char *s)
{
	retort_vec_push(v, retort__strdup(s));
}

retort_model *retort_model_new(retort_dialect_id dialect)
{
	retort_model *m = retort__calloc(1, sizeof(*m));

	m->dialect = dialect;
	return m;
}

static void column_free(retort_model_column *c)
{
	free(c->name);
	free(c->type);
	free(c->default_expr);
	free(c->generated);
	free(c->collation);
	free(c->comment);
	free(c->identity_opts);
	free(c->collation_schema);
	free(c);
}

static void constraint_free(retort_model_constraint *c)
{
	free(c->name);
	retort_vec_dispose(&c->columns, true);
	free(c->expr);
	free(c->ref_schema);
	free(c->ref_table);
	retort_vec_dispose(&c->ref_columns, true);
	free(c->pg_def);
	free(c->canon);
	free(c->comment);
	free(c);
}

static void index_free(retort_index *i)
{
	free(i->name);
	retort_vec_dispose(&i->keys, true);
	free(i->where);
	free(i->definition);
	free(i->canon);
	free(i->comment);
	free(i);
}

static void table_free(retort_table *t)
{
	for (size_t i = 0; i < t->columns.len; i++)
		column_free(t->columns.items[i]);
	for (size_t i = 0; i < t->constraints.len; i++)
		constraint_free(t->constraints.items[i]);
	for (size_t i = 0; i < t->indexes.len; i++)
		index_free(t->indexes.items[i]);
	retort_vec_dispose(&t->columns, false);
	retort_vec_dispose(&t->constraints, false);
	retort_vec_dispose(&t->indexes, false);
	retort_vec_dispose(&t->triggers, true);
	free(t->schema);
	free(t->name);
	free(t->comment);
	free(t->partition_key);
	free(t->parent_schema);
	free(t->parent);
	free(t->partition_bound);
	retort_vec_dispose(&t->inherits, true);
	free(t);
}

void retort_model_free(retort_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->tables.len; i++)
		table_free(m->tables.items[i]);
	for (size_t i = 0; i < m->views.len; i++) {
		retort_view *v = m->views.items[i];
		free(v->schema);
		free(v->name);
		free(v->definition);
		free(v->comment);
		retort_vec_dispose(&v->depends, true);
		for (size_t j = 0; j < v->indexes.len; j++)
			index_free(v->indexes.items[j]);
		retort_vec_dispose(&v->indexes, false);
		retort_vec_dispose(&v->triggers, true);
		free(v);
	}
	for (size_t i = 0; i < m->sequences.len; i++) {
		retort_sequence *s = m->sequences.items[i];
		free(s->schema);
		free(s->name);
		free(s->type);
		free(s->start);
		free(s->increment);
		free(s->min);
		free(s->max);
		free(s->cache);
		free(s->owned_by);
		free(s->comment);
		free(s);
	}
	for (size_t i = 0; i < m->enums.len; i++) {
		retort_enum *e = m->enums.items[i];
		free(e->schema);
		free(e->name);
		free(e->comment);
		retort_vec_dispose(&e->labels, true);
		free(e);
	}
	retort__model_pg_free(m);
	retort_vec_dispose(&m->schemas, true);
	retort_vec_dispose(&m->tables, false);
	retort_vec_dispose(&m->views, false);
	retort_vec_dispose(&m->sequences, false);
	retort_vec_dispose(&m->enums, false);
	free(m);
}

retort_table *retort_model_add_table(retort_model *m, const char *schema, const char *name)
{
	retort_table *t = retort__calloc(1, sizeof(*t));

	t->schema = retort__strdup(schema);
	t->name = retort__strdup(name);
	retort_vec_push(&m->tables, t);
	m->sorted = false;
	return t;
}

retort_model_column *retort_table_add_column(retort_table *t, const char *name, const char *type)
{
	retort_model_column *c = retort__calloc(1, sizeof(*c));

	c->name = retort__strdup(name);
	c->type = retort__strdup(type ? type : "");
	c->position = (int)t->columns.len + 1;
	retort_vec_push(&t->columns, c);
	return c;
}

retort_model_constraint *retort_table_add_constraint(retort_table *t, retort_con_kind kind, const char *name)
{
	retort_model_constraint *c = retort__calloc(1, sizeof(*c));

	c->kind = kind;
	c->name = retort__strdup(name);
	c->on_delete = c->on_update = RETORT_FK_NO_ACTION;
	retort_vec_push(&t->constraints, c);
	return c;
}

retort_index *retort_table_add_index(retort_table *t, const char *name)
{
	retort_index *i = retort__calloc(1, sizeof(*i));

	i->name = retort__strdup(name);
	retort_vec_push(&t->indexes, i);
	return i;
}

void retort_table_remove_column(retort_table *t, size_t i)
{
	column_free(t->columns.items[i]);
	retort_vec_remove(&t->columns, i);
}

void retort_table_remove_constraint(retort_table *t, size_t i)
{
	constraint_free(t->constraints.items[i]);
	retort_vec_remove(&t->constraints, i);
}

void retort_table_remove_index(retort_table *t, size_t i)
{
	index_free(t->indexes.items[i]);
	retort_vec_remove(&t->indexes, i);
}

retort_view *retort_model_add_view(retort_model *m, const char *schema, const char *name, const char *definition)
{
	retort_view *v = retort__calloc(1, sizeof(*v));

	v->schema = retort__strdup(schema);
	v->name = retort__strdup(name);
	v->definition = retort__strdup(definition);
	retort_vec_push(&m->views, v);
	m->sorted = false;
	return v;
}

retort_sequence *retort_model_add_sequence(retort_model *m, const char *schema, const char *name)
{
	retort_sequence *s = retort__calloc(1, sizeof(*s));

	s->schema = retort__strdup(schema);
	s->name = retort__strdup(name);
	retort_vec_push(&m->sequences, s);
	m->sorted = false;
	return s;
}

retort_enum *retort_model_add_enum(retort_model *m, const char *schema, const char *name)
{
	retort_enum *e = retort__calloc(1, sizeof(*e));

	e->schema = retort__strdup(schema);
	e->name = retort__strdup(name);
	retort_vec_push(&m->enums, e);
	m->sorted = false;
	return e;
}

/* --- canonical texts --------------------------------------------------- */

static const char *fk_action_text(char a)
{
	switch (a) {
	case RETORT_FK_RESTRICT: return "RESTRICT";
	case RETORT_FK_CASCADE: return "CASCADE";
	case RETORT_FK_SET_NULL: return "SET NULL";
	case RETORT_FK_SET_DEFAULT: return "SET DEFAULT";
	default: return "NO ACTION";
	}
}

static void put_list(retort_buf *out, const retort_vec *v)
{
	retort_buf_putc(out, '(');
	for (size_t i = 0; i < v->len; i++)
		retort_buf_printf(out, "%s%s", i ? ", " : "", (const char *)v->items[i]);
	retort_buf_putc(out, ')');
}

static void constraint_canon(retort_model_constraint *c)
{
	retort_buf b = RETORT_BUF_INIT;

	retort_buf_printf(&b, "%c %s: ", (char)c->kind, c->name ? c->name : "-");
	if (c->pg_def && c->kind != RETORT_CON_FOREIGN) {
		retort_buf_puts(&b, c->pg_def);
	} else if (c->kind == RETORT_CON_CHECK) {
		retort_buf_printf(&b, "CHECK (%s)", c->expr ? c->expr : "");
	} else if (c->kind == RETORT_CON_FOREIGN) {
		retort_buf_puts(&b, "FOREIGN KEY ");
		put_list(&b, &c->columns);
		retort_buf_printf(&b, " REFERENCES %s%s%s ", c->ref_schema ? c->ref_schema : "",
			c->ref_schema ? "." : "", c->ref_table);
		if (c->ref_columns.len)
			put_list(&b, &c->ref_columns);
		retort_buf_printf(&b, "%s ON UPDATE %s ON DELETE %s%s%s", c->match_full ? " MATCH FULL" : "",
			fk_action_text(c->on_update),
			fk_action_text(c->on_delete), c->deferrable ? " DEFERRABLE" : "",
			c->deferred ? " INITIALLY DEFERRED" : "");
	} else {
		retort_buf_puts(&b, c->kind == RETORT_CON_PRIMARY ? "PRIMARY KEY " : "UNIQUE ");
		put_list(&b, &c->columns);
	}
	free(c->canon);
	c->canon = retort_buf_detach(&b);
}

static void index_canon(retort_index *i)
{
	retort_buf b = RETORT_BUF_INIT;

	retort_buf_printf(&b, "%s: ", i->name);
	if (i->definition) {
		retort_buf_puts(&b, i->definition);
	} else {
		retort_buf_puts(&b, i->unique ? "UNIQUE " : "");
		put_list(&b, &i->keys);
		if (i->where)
			retort_buf_printf(&b, " WHERE %s", i->where);
	}
	free(i->canon);
	i->canon = retort_buf_detach(&b);
}

void retort__column_canon(retort_buf *out, const retort_model_column *c)
{
	retort_buf_printf(out, "%s %s", c->name, c->type);
	if (c->notnull)
		retort_buf_puts(out, " NOT NULL");
	if (c->default_expr)
		retort_buf_printf(out, " DEFAULT %s", c->default_expr);
	if (c->identity)
		retort_buf_printf(out, " IDENTITY %s", c->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
	if (c->autoincrement)
		retort_buf_puts(out, " AUTOINCREMENT");
	if (c->generated)
		retort_buf_printf(out, " GENERATED (%s) %s", c->generated, c->gen_stored ? "STORED" : "VIRTUAL");
	if (c->collation)
		retort_buf_printf(out, " COLLATE %s%s%s", c->collation_schema ? c->collation_schema : "",
			c->collation_schema ? "." : "", c->collation);
	if (c->comment)
		retort_buf_printf(out, " COMMENT '%s'", c->comment);
	if (c->identity_opts)
		retort_buf_printf(out, " (%s)", c->identity_opts);
}

/* --- ordering ---------------------------------------------------------- */

static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	return strcmp(a, b);
}

static int cmp_strp(const void *a, const void *b)
{
	return cmp_str(*(char *const *)a, *(char *const *)b);
}

#define NAMED_CMP(fn, type)                                              \
	static int fn(const void *a, const void *b)                      \
	{                                                                \
		const type *x = *(type *const *)a, *y = *(type *const *)b; \
		int r = cmp_str(x->schema, y->schema);                   \
		return r ? r : cmp_str(x->name, y->name);                \
	}
NAMED_CMP(cmp_table, retort_table)
NAMED_CMP(cmp_view, retort_view)
NAMED_CMP(cmp_sequence, retort_sequence)
NAMED_CMP(cmp_enum, retort_enum)

static int cmp_position(const void *a, const void *b)
{
	const retort_model_column *x = *(retort_model_column *const *)a, *y = *(retort_model_column *const *)b;

	return x->position - y->position;
}

static int cmp_constraint(const void *a, const void *b)
{
	const retort_model_constraint *x = *(retort_model_constraint *const *)a, *y = *(retort_model_constraint *const *)b;

	/* Primary key first, then by kind letter, then the canonical text. */
	if (x->kind != y->kind) {
		if (x->kind == RETORT_CON_PRIMARY || y->kind == RETORT_CON_PRIMARY)
			return x->kind == RETORT_CON_PRIMARY ? -1 : 1;
		return (int)x->kind - (int)y->kind;
	}
	return cmp_str(x->canon, y->canon);
}

static int cmp_index(const void *a, const void *b)
{
	const retort_index *x = *(retort_index *const *)a, *y = *(retort_index *const *)b;
	int r = cmp_str(x->name, y->name);

	return r ? r : cmp_str(x->canon, y->canon);
}

void retort_model_sort(retort_model *m)
{
	retort_vec_sort(&m->schemas, cmp_strp);
	retort__model_pg_sort(m);
	retort_vec_sort(&m->tables, cmp_table);
	retort_vec_sort(&m->views, cmp_view);
	retort_vec_sort(&m->sequences, cmp_sequence);
	retort_vec_sort(&m->enums, cmp_enum);
	for (size_t i = 0; i < m->tables.len; i++) {
		retort_table *t = m->tables.items[i];
		for (size_t j = 0; j < t->constraints.len; j++)
			constraint_canon(t->constraints.items[j]);
		for (size_t j = 0; j < t->indexes.len; j++)
			index_canon(t->indexes.items[j]);
		retort_vec_sort(&t->columns, cmp_position);
		retort_vec_sort(&t->constraints, cmp_constraint);
		retort_vec_sort(&t->indexes, cmp_index);
		retort_vec_sort(&t->triggers, cmp_strp);
	}
	for (size_t i = 0; i < m->views.len; i++) {
		retort_view *v = m->views.items[i];
		retort_vec_sort(&v->depends, cmp_strp);
		retort_vec_sort(&v->triggers, cmp_strp);
		for (size_t j = 0; j < v->indexes.len; j++)
			index_canon(v->indexes.items[j]);
		retort_vec_sort(&v->indexes, cmp_index);
	}
	m->sorted = true;
}

/* --- lookups ----------------------------------------------------------- */

/*
 * By name: a binary search in the order retort_model_sort() left (schema,
 * then name, NULL first), else a scan.
 */
#define FIND(m, vec, type, schema, name)                                       \
	if ((m)->sorted) {                                                     \
		size_t lo = 0, hi = (vec).len;                                 \
		while (lo < hi) {                                              \
			size_t mid = lo + (hi - lo) / 2;                       \
			type *x = (vec).items[mid];                            \
			int r = cmp_str(x->schema, schema);                    \
			if (!r)                                                \
				r = cmp_str(x->name, name);                    \
			if (!r)                                                \
				return x;                                      \
			if (r < 0)                                             \
				lo = mid + 1;                                  \
			else                                                   \
				hi = mid;                                      \
		}                                                              \
		return NULL;                                                   \
	}                                                                      \
	for (size_t i = 0; i < (vec).len; i++) {                               \
		type *x = (vec).items[i];                                      \
		if (retort__streq(x->schema, schema) && strcmp(x->name, name) == 0) \
			return x;                                              \
	}                                                                      \
	return NULL

retort_table *retort_model_table(const retort_model *m, const char *schema, const char *name)
{
	FIND(m, m->tables, retort_table, schema, name);
}

retort_view *retort_model_view(const retort_model *m, const char *schema, const char *name)
{
	FIND(m, m->views, retort_view, schema, name);
}

retort_sequence *retort_model_sequence(const retort_model *m, const char *schema, const char *name)
{
	FIND(m, m->sequences, retort_sequence, schema, name);
}

retort_enum *retort_model_enum(const retort_model *m, const char *schema, const char *name)
{
	FIND(m, m->enums, retort_enum, schema, name);
}

retort_model_column *retort_table_column(const retort_table *t, const char *name)
{
	for (size_t i = 0; i < t->columns.len; i++) {
		retort_model_column *c = t->columns.items[i];
		if (strcmp(c->name, name) == 0)
			return c;
	}
	return NULL;
}

retort_model_constraint *retort_table_primary_key(const retort_table *t)
{
	for (size_t i = 0; i < t->constraints.len; i++) {
		retort_model_constraint *c = t->constraints.items[i];
		if (c->kind == RETORT_CON_PRIMARY)
			return c;
	}
	return NULL;
}

/* --- the canonical dump ------------------------------------------------ */

static int cmp_column_name(const void *a, const void *b)
{
	return strcmp((*(retort_model_column *const *)a)->name, (*(retort_model_column *const *)b)->name);
}

static void dump_indexes(retort_buf *out, const retort_vec *indexes)
{
	for (size_t j = 0; j < indexes->len; j++) {
		retort_index *x = indexes->items[j];
		retort_buf_printf(out, "  index %s", x->canon);
		if (x->comment)
			retort_buf_printf(out, " COMMENT '%s'", x->comment);
		retort_buf_putc(out, '\n');
	}
}

/* PostgreSQL's table properties, on the table's line. */
static void table_pg_dump(retort_buf *out, const retort_table *t)
{
	if (t->unlogged)
		retort_buf_puts(out, " UNLOGGED");
	if (t->rls)
		retort_buf_puts(out, " ROW LEVEL SECURITY");
	if (t->rls_force)
		retort_buf_puts(out, " FORCE ROW LEVEL SECURITY");
	if (t->partition_key)
		retort_buf_printf(out, " PARTITION BY %s", t->partition_key);
	if (t->parent)
		retort_buf_printf(out, " PARTITION OF %s.%s %s", t->parent_schema ? t->parent_schema : "", t->parent,
			t->partition_bound ? t->partition_bound : "");
	for (size_t i = 0; i + 1 < t->inherits.len; i += 2)
		retort_buf_printf(out, "%s%s.%s", i ? ", " : " INHERITS ", (const char *)t->inherits.items[i],
			(const char *)t->inherits.items[i + 1]);
}

void retort_model_dump(retort_buf *out, const retort_model *m)
{
	for (size_t i = 0; i < m->schemas.len; i++)
		retort_buf_printf(out, "schema %s\n", (const char *)m->schemas.items[i]);
	retort__model_pg_dump(out, m);
	for (size_t i = 0; i < m->enums.len; i++) {
		retort_enum *e = m->enums.items[i];
		retort_buf_printf(out, "enum %s.%s ", e->schema ? e->schema : "", e->name);
		put_list(out, &e->labels);
		if (e->comment)
			retort_buf_printf(out, " COMMENT '%s'", e->comment);
		retort_buf_putc(out, '\n');
	}
	for (size_t i = 0; i < m->sequences.len; i++) {
		retort_sequence *s = m->sequences.items[i];
		retort_buf_printf(out, "sequence %s.%s %s start %s increment %s min %s max %s cache %s%s owned %s%s%s\n",
			s->schema ? s->schema : "", s->name, s->type ? s->type : "-",
			s->start ? s->start : "-", s->increment ? s->increment : "-",
			s->min ? s->min : "-", s->max ? s->max : "-", s->cache ? s->cache : "-",
			s->cycle ? " cycle" : "", s->owned_by ? s->owned_by : "-", s->comment ? " comment " : "",
			s->comment ? s->comment : "");
	}
	for (size_t i = 0; i < m->tables.len; i++) {
		retort_table *t = m->tables.items[i];
		retort_vec cols = RETORT_VEC_INIT;

		retort_buf_printf(out, "table %s.%s%s%s", t->schema ? t->schema : "", t->name,
			t->without_rowid ? " WITHOUT ROWID" : "", t->strict ? " STRICT" : "");
		if (t->comment)
			retort_buf_printf(out, " COMMENT '%s'", t->comment);
		table_pg_dump(out, t);
		retort_buf_putc(out, '\n');
		for (size_t j = 0; j < t->columns.len; j++)
			retort_vec_push(&cols, t->columns.items[j]);
		retort_vec_sort(&cols, cmp_column_name);
		for (size_t j = 0; j < cols.len; j++) {
			retort_buf_puts(out, "  column ");
			retort__column_canon(out, cols.items[j]);
			retort_buf_putc(out, '\n');
		}
		retort_vec_dispose(&cols, false);
		for (size_t j = 0; j < t->constraints.len; j++) {
			retort_model_constraint *c = t->constraints.items[j];
			retort_buf_printf(out, "  constraint %s%s", c->canon, c->not_valid ? " NOT VALID" : "");
			if (c->comment)
				retort_buf_printf(out, " COMMENT '%s'", c->comment);
			retort_buf_putc(out, '\n');
		}
		dump_indexes(out, &t->indexes);
		for (size_t j = 0; j < t->triggers.len; j++)
			retort_buf_printf(out, "  trigger %s\n", (const char *)t->triggers.items[j]);
	}
	for (size_t i = 0; i < m->views.len; i++) {
		retort_view *v = m->views.items[i];
		retort_buf_printf(out, "%sview %s.%s AS %s", v->materialized ? "materialized " : "",
			v->schema ? v->schema : "", v->name, v->definition);
		if (v->materialized && !v->with_data)
			retort_buf_puts(out, " WITH NO DATA");
		if (v->comment)
			retort_buf_printf(out, " COMMENT '%s'", v->comment);
		retort_buf_putc(out, '\n');
		dump_indexes(out, &v->indexes);
		for (size_t j = 0; j < v->triggers.len; j++)
			retort_buf_printf(out, "  trigger %s\n", (const char *)v->triggers.items[j]);
	}
}

bool retort_model_equal(const retort_model *a, const retort_model *b)
{
	retort_buf x = RETORT_BUF_INIT, y = RETORT_BUF_INIT;
	bool eq;

	retort_model_dump(&x, a);
	retort_model_dump(&y, b);
	eq = strcmp(x.ptr, y.ptr) == 0;
	retort_buf_dispose(&x);
	retort_buf_dispose(&y);
	return eq;
}
