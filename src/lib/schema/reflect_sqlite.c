/*
 * reflect_sqlite.c - read a SQLite database's schema with four queries.
 *
 * sqlite_schema gives every object and its CREATE text; the pragma
 * table-valued functions (pragma_table_xinfo, pragma_index_list joined with
 * pragma_index_xinfo, pragma_foreign_key_list), joined against
 * sqlite_schema, give every table's columns, keys and indexes in one query
 * each, however many tables there are.  What the pragmas do not report
 * (CHECK constraints, AUTOINCREMENT, collations, generation expressions,
 * deferrable foreign keys, constraint names, index expressions and
 * predicates) is picked from the stored CREATE text by sqlparse.c.  Internal sqlite_* objects are
 * skipped.  The queries sort nothing: each pragma returns one table's (or
 * one index's) rows together and in order, which is all the loaders below
 * need, and retort_model_sort() orders the model; sorting 10,000 column
 * rows in SQLite would cost more than the rest of a query.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/reflect.h"
#include "schema/sdialect.h"
#include "schema/sqlparse.h"

#define USER_TABLES "m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"

static const char q_objects[] =
	"SELECT m.type, m.name, m.tbl_name, m.sql FROM sqlite_schema m"
	" WHERE m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";

static const char q_columns[] =
	"SELECT m.name, p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden"
	" FROM sqlite_schema m JOIN pragma_table_xinfo(m.name) p"
	" WHERE " USER_TABLES;

static const char q_indexes[] =
	"SELECT m.name, il.name, il.\"unique\", il.origin, il.partial, ii.seqno, ii.cid, ii.name, ii.\"desc\", ii.coll"
	" FROM sqlite_schema m JOIN pragma_index_list(m.name) il JOIN pragma_index_xinfo(il.name) ii"
	" WHERE " USER_TABLES " AND ii.\"key\" = 1";

static const char q_fkeys[] =
	"SELECT m.name, f.id, f.seq, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete"
	" FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f"
	" WHERE " USER_TABLES;

#define CELL(r, i, j) retort_rows_get((r), (i), (j))

typedef struct lite_table {
	retort_table *t;
	retort__lite_tabledef def;
	retort_vec pk;  /* char *, borrowed: pk[i] is the key's column i+1 */
} lite_table;

static char fk_action(const char *s)
{
	if (!s)
		return RETORT_FK_NO_ACTION;
	if (strcmp(s, "RESTRICT") == 0)
		return RETORT_FK_RESTRICT;
	if (strcmp(s, "CASCADE") == 0)
		return RETORT_FK_CASCADE;
	if (strcmp(s, "SET NULL") == 0)
		return RETORT_FK_SET_NULL;
	if (strcmp(s, "SET DEFAULT") == 0)
		return RETORT_FK_SET_DEFAULT;
	return RETORT_FK_NO_ACTION;
}

static char *upper(const char *s)
{
	char *u = retort__strdup(s ? s : "");

	for (char *p = u; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return u;
}

static void load_columns(retort_map *tables, const retort_rows *r)
{
	for (size_t i = 0; i < r->nrows; i++) {
		lite_table *lt = retort_map_get(tables, CELL(r, i, 0));
		retort__lite_coldef *cd;
		retort_model_column *c;
		char *type;
		int hidden, pkpos;

		if (!lt)
			continue;
		type = upper(CELL(r, i, 3));
		c = retort_table_add_column(lt->t, CELL(r, i, 2), type);
		free(type);
		c->position = atoi(CELL(r, i, 1)) + 1;
		c->notnull = strcmp(CELL(r, i, 4), "0") != 0;
		c->default_expr = retort__strdup(CELL(r, i, 5));
		hidden = atoi(CELL(r, i, 7));
		if ((pkpos = atoi(CELL(r, i, 6))) > 0) {
			while (lt->pk.len < (size_t)pkpos)
				retort_vec_push(&lt->pk, NULL);
			lt->pk.items[pkpos - 1] = (void *)CELL(r, i, 2);
		}
		if ((cd = retort__sqlparse_tabledef_column(&lt->def, c->name))) {
			c->collation = retort__strdup(cd->collation);
			c->autoincrement = cd->autoincrement;
			if (hidden == 2 || hidden == 3) {
				c->generated = retort__strdup(cd->generated ? cd->generated : "");
				c->gen_stored = hidden == 3;
			}
		}
	}
	/* The primary key, in key order (pk is the column's 1-based position in it). */
	for (size_t i = 0; i < tables->len; i++) {
		lite_table *lt = tables->vals[i];
		retort_model_constraint *pk;
		if (!lt->pk.len)
			continue;
		pk = retort_table_add_constraint(lt->t, RETORT_CON_PRIMARY, lt->def.pk_name);
		for (size_t j = 0; j < lt->pk.len; j++)
			retort__strvec_add(&pk->columns, lt->pk.items[j] ? lt->pk.items[j] : "");
	}
}

static void load_indexes(retort_map *tables, retort_map *index_sql, const retort_rows *r)
{
	retort_model_constraint *uc = NULL;
	retort_index *x = NULL;
	retort_vec parsed = RETORT_VEC_INIT;
	const char *cur_table = NULL, *cur_index = NULL;

	for (size_t i = 0; i < r->nrows; i++) {
		lite_table *lt = retort_map_get(tables, CELL(r, i, 0));
		const char *iname = CELL(r, i, 1), *origin = CELL(r, i, 3);
		const char *colname = CELL(r, i, 7), *coll = CELL(r, i, 9);
		int seqno = atoi(CELL(r, i, 5)), cid = atoi(CELL(r, i, 6));

		if (!lt || strcmp(origin, "pk") == 0)
			continue;
		if (!cur_index || strcmp(cur_index, iname) != 0 || strcmp(cur_table, CELL(r, i, 0)) != 0) {
			cur_table = CELL(r, i, 0);
			cur_index = iname;
			uc = NULL;
			x = NULL;
			retort_vec_dispose(&parsed, true);
			if (strcmp(origin, "u") == 0) {
				uc = retort_table_add_constraint(lt->t, RETORT_CON_UNIQUE, NULL);
			} else {
				x = retort_table_add_index(lt->t, iname);
				x->unique = strcmp(CELL(r, i, 2), "0") != 0;
				retort__sqlparse_parse_index(&parsed, &x->where, retort_map_get(index_sql, iname));
			}
		}
		if (uc) {
			retort__strvec_add(&uc->columns, colname ? colname : "");
		} else if (x && cid >= 0 && colname) {
			retort_buf k = RETORT_BUF_INIT;
			retort_model_column *col = retort_table_column(lt->t, colname);
			const char *own = col && col->collation ? col->collation : "BINARY";
			retort__srender_ident(&k, RETORT_DIALECT_SQLITE, colname);
			/* The pragma reports the column's own collation too: only a different one was written. */
			if (coll && retort__strcasecmp(coll, own) != 0)
				retort_buf_printf(&k, " COLLATE %s", coll);
			if (strcmp(CELL(r, i, 8), "0") != 0)
				retort_buf_puts(&k, " DESC");
			retort_vec_push(&x->keys, retort_buf_detach(&k));
		} else if (x) {
			/* An expression: its text as written in CREATE INDEX. */
			retort__strvec_add(&x->keys, (size_t)seqno < parsed.len ? parsed.items[seqno] : "");
		}
	}
	retort_vec_dispose(&parsed, true);
}

static bool same_columns(const retort_vec *a, const retort_vec *b)
{
	if (a->len != b->len)
		return false;
	for (size_t i = 0; i < a->len; i++)
		if (retort__strcasecmp(a->items[i], b->items[i]) != 0)
			return false;
	return true;
}

static void load_fkeys(retort_map *tables, const retort_rows *r)
{
	retort_model_constraint *fk = NULL;
	const char *cur_table = NULL, *cur_id = NULL;

	for (size_t i = 0; i < r->nrows; i++) {
		lite_table *lt = retort_map_get(tables, CELL(r, i, 0));

		if (!lt)
			continue;
		if (!cur_id || strcmp(cur_id, CELL(r, i, 1)) != 0 || strcmp(cur_table, CELL(r, i, 0)) != 0) {
			cur_table = CELL(r, i, 0);
			cur_id = CELL(r, i, 1);
			fk = retort_table_add_constraint(lt->t, RETORT_CON_FOREIGN, NULL);
			fk->ref_table = retort__strdup(CELL(r, i, 3));
			fk->on_update = fk_action(CELL(r, i, 6));
			fk->on_delete = fk_action(CELL(r, i, 7));
		}
		retort__strvec_add(&fk->columns, CELL(r, i, 4));
		if (CELL(r, i, 5))
			retort__strvec_add(&fk->ref_columns, CELL(r, i, 5));
	}
	/* Deferrability and names are only in the CREATE text: match by referencing columns. */
	for (size_t i = 0; i < tables->len; i++) {
		lite_table *lt = tables->vals[i];
		for (size_t j = 0; j < lt->t->constraints.len; j++) {
			retort_model_constraint *c = lt->t->constraints.items[j];
			if (c->kind != RETORT_CON_FOREIGN)
				continue;
			for (size_t k = 0; k < lt->def.fks.len; k++) {
				retort__lite_fkdef *fd = lt->def.fks.items[k];
				if (same_columns(&fd->columns, &c->columns)) {
					c->deferrable = fd->deferrable;
					c->deferred = fd->deferred;
					free(c->name);
					c->name = retort__strdup(fd->name);
				}
			}
		}
	}
}

/*
 * UNIQUE constraints come from pragma_index_list (origin 'u') without
 * their declared names: take each from the declaration with the same
 * columns, each declaration once.
 */
static void name_uniques(retort_map *tables)
{
	for (size_t i = 0; i < tables->len; i++) {
		lite_table *lt = tables->vals[i];
		bool *used = retort__calloc(lt->def.uniques.len + 1, sizeof(bool));

		for (size_t j = 0; j < lt->t->constraints.len; j++) {
			retort_model_constraint *c = lt->t->constraints.items[j];
			if (c->kind != RETORT_CON_UNIQUE)
				continue;
			for (size_t k = 0; k < lt->def.uniques.len; k++) {
				retort__lite_keydef *kd = lt->def.uniques.items[k];
				if (!used[k] && same_columns(&kd->columns, &c->columns)) {
					used[k] = true;
					c->name = retort__strdup(kd->name);
					break;
				}
			}
		}
		free(used);
	}
}

static void add_depend(retort_view *v, const char *name)
{
	for (size_t k = 0; k < v->depends.len; k++)
		if (strcmp(v->depends.items[k], name) == 0)
			return;
	retort__strvec_add(&v->depends, name);
}

/*
 * Conservative dependencies: every identifier of a view's text that names
 * a table or another view (once all views are loaded, so the order of
 * sqlite_schema does not matter).
 */
static void load_view_depends(retort_model *m)
{
	for (size_t n = 0; n < m->views.len; n++) {
		retort_view *v = m->views.items[n];
		retort_vec idents = RETORT_VEC_INIT;

		retort__sqlparse_identifiers(&idents, v->definition);
		for (size_t i = 0; i < idents.len; i++) {
			const char *id = idents.items[i];
			if (retort__strcasecmp(id, v->name) == 0)
				continue;
			for (size_t j = 0; j < m->tables.len; j++) {
				retort_table *t = m->tables.items[j];
				if (retort__strcasecmp(t->name, id) == 0)
					add_depend(v, t->name);
			}
			for (size_t j = 0; j < m->views.len; j++) {
				retort_view *w = m->views.items[j];
				if (w != v && retort__strcasecmp(w->name, id) == 0)
					add_depend(v, w->name);
			}
		}
		retort_vec_dispose(&idents, true);
	}
}

int retort__reflect_sqlite(retort_model **out, retort_db *db, const retort_reflect_opts *opts)
{
	retort_model *m = retort_model_new(RETORT_DIALECT_SQLITE);
	retort_map tables = RETORT_MAP_INIT, index_sql = RETORT_MAP_INIT;
	retort_rows *objects = NULL, *r = NULL;
	int error;

	if ((error = retort__reflect_query(&objects, m, db, q_objects)) < 0)
		goto done;
	for (size_t i = 0; i < objects->nrows; i++) {
		const char *type = CELL(objects, i, 0), *name = CELL(objects, i, 1), *sql = CELL(objects, i, 3);
		lite_table *lt;

		if (strcmp(type, "index") == 0 && sql) {
			retort_map_set(&index_sql, name, (void *)sql);
		} else if (strcmp(type, "table") == 0 && retort__reflect_table_wanted(opts, NULL, name)) {
			lt = retort__calloc(1, sizeof(*lt));
			lt->t = retort_model_add_table(m, NULL, name);
			retort__sqlparse_parse_table(&lt->def, sql);
			lt->t->without_rowid = lt->def.without_rowid;
			lt->t->strict = lt->def.strict;
			for (size_t j = 0; j < lt->def.checks.len; j++) {
				retort__lite_check *ck = lt->def.checks.items[j];
				retort_model_constraint *c = retort_table_add_constraint(lt->t, RETORT_CON_CHECK, ck->name);
				c->expr = retort__strdup(ck->expr);
			}
			retort_map_set(&tables, name, lt);
		}
	}
	for (size_t i = 0; i < objects->nrows; i++) {
		const char *type = CELL(objects, i, 0), *sql = CELL(objects, i, 3);

		if (strcmp(type, "view") == 0 && sql && retort__reflect_table_wanted(opts, NULL, CELL(objects, i, 1)))
			retort_model_add_view(m, NULL, CELL(objects, i, 1), sql);
	}
	/* Triggers belong to a table, or (INSTEAD OF) to a view. */
	for (size_t i = 0; i < objects->nrows; i++) {
		const char *type = CELL(objects, i, 0), *sql = CELL(objects, i, 3), *on = CELL(objects, i, 2);
		lite_table *lt = retort_map_get(&tables, on);
		retort_view *v;

		if (strcmp(type, "trigger") != 0 || !sql)
			continue;
		if (lt)
			retort__strvec_add(&lt->t->triggers, sql);
		else if ((v = retort_model_view(m, NULL, on)))
			retort__strvec_add(&v->triggers, sql);
	}

	load_view_depends(m);

	if ((error = retort__reflect_query(&r, m, db, q_columns)) < 0)
		goto done;
	load_columns(&tables, r);
	retort_rows_free(r);
	r = NULL;

	if ((error = retort__reflect_query(&r, m, db, q_indexes)) < 0)
		goto done;
	load_indexes(&tables, &index_sql, r);
	name_uniques(&tables);
	retort_rows_free(r);
	r = NULL;

	if ((error = retort__reflect_query(&r, m, db, q_fkeys)) < 0)
		goto done;
	load_fkeys(&tables, r);
done:
	retort_rows_free(r);
	retort_rows_free(objects);
	for (size_t i = 0; i < tables.len; i++) {
		lite_table *lt = tables.vals[i];
		retort__sqlparse_tabledef_dispose(&lt->def);
		retort_vec_dispose(&lt->pk, false);
		free(lt);
	}
	retort_map_dispose(&tables, false);
	retort_map_dispose(&index_sql, false);
	if (error < 0) {
		retort_model_free(m);
		return error;
	}
	*out = m;
	return 0;
}
