/*
 * schema_gen.c - seeded random schema pairs (see schema_gen.h).
 *
 * A schema is described by a small spec (which table slots exist, which
 * column slots, their type class, keys, indexes...), built into a model,
 * and B is A's spec after a few random mutations.  A fix-up pass keeps
 * every spec valid for its dialect and keeps the data the SQLite test
 * inserts valid under both A and B (unique columns get no default, checks
 * accept the defaults, NOT NULL always comes with a default).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "integration/schema_gen.h"

#define NT 4
#define NC 5

enum klass { K_INT, K_TEXT, K_NUM, K_BOOL, K_TS, K_ENUM, K_BLOB };

typedef struct type_def {
	const char *name;
	enum klass k;
} type_def;

static const type_def pg_types[] = {
	{ "integer", K_INT }, { "bigint", K_INT }, { "text", K_TEXT }, { "varchar(20)", K_TEXT },
	{ "numeric(10,2)", K_NUM }, { "boolean", K_BOOL }, { "timestamp", K_TS }, { "mood", K_ENUM },
};
static const type_def lite_types[] = {
	{ "INTEGER", K_INT }, { "BIGINT", K_INT }, { "TEXT", K_TEXT }, { "VARCHAR(20)", K_TEXT },
	{ "REAL", K_NUM }, { "NUMERIC", K_NUM }, { "BLOB", K_BLOB },
};

typedef struct colspec {
	bool on, typed, notnull, coll, comment, renamed;
	int type, def;
} colspec;

typedef struct tabspec {
	bool on, comment, fkdefer, trigger, auxfk;
	bool named;     /* SQLite: constraints declared with CONSTRAINT names (PostgreSQL always has them) */
	bool strict, norowid; /* SQLite: a STRICT and/or WITHOUT ROWID table */
	colspec cols[NC];
	int pkmode, uniq, check, fk, fkdel, idx, idxkind, gen;
} tabspec;

typedef struct spec {
	tabspec t[NT];
	int enum_labels, seq, view;
	bool aux, enum_comment, view_comment;
	bool view2, vtrigger; /* SQLite: v1 over v0, an INSTEAD OF trigger on v0 */
} spec;

typedef struct gen {
	uint64_t s;
	retort_dialect_id d;
	const type_def *types;
	int ntypes;
} gen;

static uint64_t next(gen *g)
{
	/* xorshift64* */
	g->s ^= g->s >> 12;
	g->s ^= g->s << 25;
	g->s ^= g->s >> 27;
	return g->s * 0x2545F4914F6CDD1DULL;
}

static int pick(gen *g, int n)
{
	return (int)(next(g) % (uint64_t)n);
}

static bool chance(gen *g, int percent)
{
	return pick(g, 100) < percent;
}

static void random_col(gen *g, colspec *c)
{
	c->on = c->typed = true;
	c->renamed = false;
	c->type = pick(g, g->ntypes);
	c->notnull = chance(g, 30);
	c->def = chance(g, 40) ? 1 + pick(g, 2) : 0;
	c->coll = chance(g, 20);
	c->comment = chance(g, 20);
}

static void random_table(gen *g, tabspec *t)
{
	memset(t, 0, sizeof(*t));
	t->on = true;
	for (int k = 0; k < NC; k++)
		if (chance(g, 50))
			random_col(g, &t->cols[k]);
	t->pkmode = chance(g, 30) ? 1 + pick(g, 3) : 0;
	t->uniq = chance(g, 30) ? pick(g, NC) : -1;
	t->check = chance(g, 30) ? pick(g, NC) : -1;
	t->fk = chance(g, 45) ? pick(g, NT) : -1;
	t->fkdel = pick(g, 4);
	t->fkdefer = chance(g, 20);
	t->idx = chance(g, 50) ? pick(g, NC) : -1;
	t->idxkind = pick(g, 4);
	t->gen = chance(g, 20) ? 1 + pick(g, 2) : 0;
	t->comment = chance(g, 25);
	t->trigger = chance(g, 20);
	t->auxfk = chance(g, 25);
	t->named = chance(g, 40);
	t->strict = chance(g, 15);
	t->norowid = chance(g, 15);
}

static enum klass klass_of(const gen *g, const colspec *c)
{
	return g->types[c->type].k;
}

static void fixup(gen *g, spec *s)
{
	bool pg = g->d == RETORT_DIALECT_POSTGRES;

	if (!pg) {
		s->enum_labels = 0;
		s->seq = 0;
		s->aux = false;
	}
	for (int i = 0; i < NT; i++) {
		tabspec *t = &s->t[i];
		if (!t->on)
			continue;
		for (int k = 0; k < NC; k++) {
			colspec *c = &t->cols[k];
			if (!c->on)
				continue;
			if (klass_of(g, c) == K_ENUM && !s->enum_labels)
				c->type = 2; /* text */
			if (klass_of(g, c) != K_TEXT)
				c->coll = false;
			if (!pg)
				c->comment = false;
			if (klass_of(g, c) == K_BLOB) {
				c->def = 0;
				c->notnull = false;
			}
			if (c->notnull && !c->def)
				c->def = 1;
		}
		if (t->uniq >= 0 && !t->cols[t->uniq].on)
			t->uniq = -1;
		if (t->check >= 0 && (!t->cols[t->check].on ||
			(klass_of(g, &t->cols[t->check]) != K_INT && klass_of(g, &t->cols[t->check]) != K_NUM)))
			t->check = -1;
		if (t->idx >= 0 && !t->cols[t->idx].on)
			t->idx = -1;
		if (t->idx >= 0 && t->idxkind == 3 && klass_of(g, &t->cols[t->idx]) != K_TEXT)
			t->idxkind = 0;
		/* Rows share defaults: a unique column takes none. */
		if (t->uniq >= 0) {
			t->cols[t->uniq].def = 0;
			t->cols[t->uniq].notnull = false;
		}
		if (t->idx >= 0 && t->idxkind == 1) {
			t->cols[t->idx].def = 0;
			t->cols[t->idx].notnull = false;
		}
		if (t->fk >= 0 && !s->t[t->fk].on)
			t->fk = -1;
		if (!s->aux)
			t->auxfk = false;
		if (pg)
			t->trigger = false; /* PostgreSQL triggers need functions: not modelled */
		if (!pg) {
			t->comment = false;
			if (t->pkmode > 1)
				t->pkmode = 1;
			if (t->norowid)
				t->pkmode = 0; /* AUTOINCREMENT needs the rowid */
		} else {
			if (t->gen > 1)
				t->gen = 1;
			t->strict = t->norowid = false;
		}
	}
	if (!s->t[0].on)
		s->view = 0;
	if (pg || !s->view)
		s->view2 = s->vtrigger = false;
}

static void mutate(gen *g, spec *s)
{
	int n = 1 + pick(g, 4);

	for (int m = 0; m < n; m++) {
		tabspec *t = &s->t[pick(g, NT)];
		colspec *c = &t->cols[pick(g, NC)];
		int what = pick(g, 19);

		if (!t->on && what < 13)
			what = 0;
		if (!c->on && what >= 2 && what <= 5)
			what = 1;
		switch (what) {
		case 0:
			if (t->on)
				t->on = false;
			else
				random_table(g, t);
			break;
		case 1:
			if (c->on) {
				c->on = false;
			} else {
				/* A column that comes back keeps its type class: not every cast exists. */
				int type = c->type;
				bool typed = c->typed;
				random_col(g, c);
				if (typed)
					c->type = type;
			}
			break;
		case 2:
			/* Within the class, so checks and indexes stay valid. */
			if (c->type == 0 || c->type == 1 || c->type == 2 || c->type == 3)
				c->type ^= 1;
			else if (g->d == RETORT_DIALECT_SQLITE && (c->type == 4 || c->type == 5))
				c->type ^= 1;
			break;
		case 3: c->notnull = !c->notnull; break;
		case 4: c->def = pick(g, 3); break;
		case 5: c->coll = !c->coll; c->comment = !c->comment; break;
		case 6: t->uniq = chance(g, 50) ? pick(g, NC) : -1; break;
		case 7: t->check = chance(g, 50) ? pick(g, NC) : -1; break;
		case 8: t->idx = chance(g, 70) ? pick(g, NC) : -1; t->idxkind = pick(g, 4); break;
		case 9: t->fk = chance(g, 70) ? pick(g, NT) : -1; t->fkdel = pick(g, 4); t->fkdefer = chance(g, 30); break;
		case 10: t->gen = pick(g, 3); break;
		case 11: t->pkmode = pick(g, 4); break;
		case 12: t->comment = !t->comment; t->trigger = !t->trigger; t->named = chance(g, 50); break;
		case 13:
			s->enum_comment = !s->enum_comment;
			if (s->enum_labels && s->enum_labels < 4 && chance(g, 70))
				s->enum_labels++;
			else
				s->enum_labels = s->enum_labels ? 0 : 2;
			break;
		case 14: s->seq = pick(g, 3); break;
		case 15:
			s->view = pick(g, 3);
			s->view_comment = chance(g, 50);
			s->view2 = chance(g, 50);
			s->vtrigger = chance(g, 50);
			break;
		case 16: s->aux = !s->aux; t->auxfk = !t->auxfk; break;
		case 17: if (c->on) c->renamed = !c->renamed; break;
		case 18: t->strict = chance(g, 50); t->norowid = chance(g, 50); break;
		}
	}
}

static void random_spec(gen *g, spec *s)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < NT; i++)
		if (chance(g, 65))
			random_table(g, &s->t[i]);
	s->enum_labels = chance(g, 40) ? 2 + pick(g, 3) : 0;
	s->seq = pick(g, 3);
	s->view = pick(g, 3);
	s->aux = chance(g, 30);
	s->enum_comment = chance(g, 30);
	s->view_comment = chance(g, 30);
	s->view2 = chance(g, 30);
	s->vtrigger = chance(g, 30);
}

/* --- building models ------------------------------------------------------ */

static const char *default_for(const gen *g, enum klass k, int which)
{
	static const char *const pg_defs[][2] = {
		[K_INT] = { "0", "42" }, [K_TEXT] = { "'x'", "'hello world'" }, [K_NUM] = { "1.5", "0" },
		[K_BOOL] = { "true", "false" }, [K_TS] = { "CURRENT_TIMESTAMP", "'2020-01-01 00:00:00'" },
		[K_ENUM] = { "'a'", "'b'" }, [K_BLOB] = { NULL, NULL },
	};
	static const char *const lite_defs[][2] = {
		[K_INT] = { "0", "42" }, [K_TEXT] = { "'x'", "'hello world'" }, [K_NUM] = { "1.5", "0" },
		[K_BOOL] = { "1", "0" }, [K_TS] = { "CURRENT_TIMESTAMP", "'2020-01-01'" },
		[K_ENUM] = { "'a'", "'b'" }, [K_BLOB] = { NULL, NULL },
	};
	if (!which)
		return NULL;
	return g->d == RETORT_DIALECT_POSTGRES ? pg_defs[k][which - 1] : lite_defs[k][which - 1];
}

static char *qi(const char *ident)
{
	return retort__sprintf("\"%s\"", ident);
}

/* PostgreSQL only: the public and aux schemas (aux.x, the target of cross-schema keys), the enum, a sequence. */
static void build_pg_objects(const spec *s, retort_model *m)
{
	retort__strvec_add(&m->schemas, "public");
	if (s->aux) {
		retort_table *x = retort_model_add_table(m, "aux", "x");
		retort_model_constraint *pk;
		retort__strvec_add(&m->schemas, "aux");
		retort_table_add_column(x, "id", "integer")->notnull = true;
		retort_table_add_column(x, "note", "text");
		pk = retort_table_add_constraint(x, RETORT_CON_PRIMARY, "x_pkey");
		retort__strvec_add(&pk->columns, "id");
	}
	if (s->enum_labels) {
		retort_enum *e = retort_model_add_enum(m, "public", "mood");
		static const char *const labels[] = { "a", "b", "c", "d" };
		for (int i = 0; i < s->enum_labels; i++)
			retort__strvec_add(&e->labels, labels[i]);
		if (s->enum_comment)
			e->comment = retort__strdup("how it feels");
	}
	if (s->seq) {
		retort_sequence *q = retort_model_add_sequence(m, "public", "seq0");
		q->type = retort__strdup("bigint");
		q->start = retort__strdup("1");
		q->increment = retort__strdup(s->seq == 1 ? "1" : "5");
		q->min = retort__strdup("1");
		q->max = retort__strdup("9223372036854775807");
		q->cache = retort__strdup("1");
	}
}

/* Table `name`'s id column and primary key, serial (a sequence it owns), identity or autoincrement. */
static void build_key(gen *g, const tabspec *ts, const char *name, retort_table *t, retort_model *m)
{
	bool pg = g->d == RETORT_DIALECT_POSTGRES;
	retort_model_column *id = retort_table_add_column(t, "id", pg ? "integer" : "INTEGER");
	retort_model_constraint *c;
	char buf[256];

	id->notnull = pg;
	if (ts->pkmode == 3 && pg) {
		/* serial: a sequence owned by the column, and its default */
		retort_sequence *q;
		snprintf(buf, sizeof(buf), "%s_id_seq", name);
		q = retort_model_add_sequence(m, "public", buf);
		q->type = retort__strdup("integer");
		q->start = retort__strdup("1");
		q->increment = retort__strdup("1");
		q->min = retort__strdup("1");
		q->max = retort__strdup("2147483647");
		q->cache = retort__strdup("1");
		q->owned_by = retort__sprintf("public.%s.id", name);
		id->default_expr = retort__sprintf("nextval('%s'::regclass)", buf);
	} else if (ts->pkmode) {
		pg ? (void)(id->identity = ts->pkmode == 1 ? 'd' : 'a') : (void)(id->autoincrement = true);
	}
	snprintf(buf, sizeof(buf), "%s_pkey", name);
	c = retort_table_add_constraint(t, RETORT_CON_PRIMARY, pg || ts->named ? buf : NULL);
	retort__strvec_add(&c->columns, "id");
}

/* A STRICT table's columns take one of the type names STRICT allows, of the same class. */
static const char *strict_type(const char *type)
{
	static const char *const map[][2] = {
		{ "BIGINT", "INTEGER" }, { "VARCHAR(20)", "TEXT" }, { "NUMERIC", "REAL" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(type, map[i][0]) == 0)
			return map[i][1];
	return type;
}

/* The data columns c0..cN (cKr when renamed) and the generated column g. */
static void build_columns(gen *g, const tabspec *ts, retort_table *t)
{
	bool pg = g->d == RETORT_DIALECT_POSTGRES;

	for (int k = 0; k < NC; k++) {
		const colspec *cs = &ts->cols[k];
		retort_model_column *col;
		char cname[8];

		if (!cs->on)
			continue;
		snprintf(cname, sizeof(cname), "c%d%s", k, cs->renamed ? "r" : "");
		col = retort_table_add_column(t, cname, ts->strict ? strict_type(g->types[cs->type].name)
			: g->types[cs->type].name);
		col->notnull = cs->notnull;
		col->default_expr = retort__strdup(default_for(g, g->types[cs->type].k, cs->def));
		if (cs->coll)
			col->collation = retort__strdup(pg ? "C" : "NOCASE");
		if (cs->comment)
			col->comment = retort__strdup("a column");
	}
	if (ts->gen) {
		retort_model_column *gc = retort_table_add_column(t, "g", pg ? "integer" : "INTEGER");
		gc->generated = retort__strdup(pg ? "id * 2" : "\"id\" * 2");
		gc->gen_stored = pg || ts->gen == 2;
	}
}

/* Unique, check and foreign-key constraints (to another tN, and across schemas to aux.x). */
static void build_constraints(const tabspec *ts, const char *name, retort_table *t, bool pg)
{
	static const char actions[] = { RETORT_FK_NO_ACTION, RETORT_FK_CASCADE, RETORT_FK_SET_NULL, RETORT_FK_RESTRICT };
	const char *schema = pg ? "public" : NULL;
	retort_model_constraint *c;
	char buf[256];

	if (ts->uniq >= 0) {
		snprintf(buf, sizeof(buf), "%s_c%d_key", name, ts->uniq);
		c = retort_table_add_constraint(t, RETORT_CON_UNIQUE, pg || ts->named ? buf : NULL);
		snprintf(buf, sizeof(buf), "c%d%s", ts->uniq, ts->cols[ts->uniq].renamed ? "r" : "");
		retort__strvec_add(&c->columns, buf);
	}
	if (ts->check >= 0) {
		snprintf(buf, sizeof(buf), "%s_c%d_check", name, ts->check);
		c = retort_table_add_constraint(t, RETORT_CON_CHECK, pg || ts->named ? buf : NULL);
		snprintf(buf, sizeof(buf), "\"c%d%s\" >= 0", ts->check, ts->cols[ts->check].renamed ? "r" : "");
		c->expr = retort__strdup(buf);
	}
	if (ts->fk >= 0) {
		char ref[16];
		retort_table_add_column(t, "r", pg ? "integer" : "INTEGER");
		snprintf(buf, sizeof(buf), "%s_r_fkey", name);
		c = retort_table_add_constraint(t, RETORT_CON_FOREIGN, pg || ts->named ? buf : NULL);
		retort__strvec_add(&c->columns, "r");
		snprintf(ref, sizeof(ref), "t%d", ts->fk);
		c->ref_schema = retort__strdup(schema);
		c->ref_table = retort__strdup(ref);
		retort__strvec_add(&c->ref_columns, "id");
		c->on_delete = actions[ts->fkdel];
		c->deferrable = c->deferred = ts->fkdefer;
	}
	if (ts->auxfk) {
		/* across schemas: public.tN.a -> aux.x.id */
		retort_table_add_column(t, "a", "integer");
		snprintf(buf, sizeof(buf), "%s_a_fkey", name);
		c = retort_table_add_constraint(t, RETORT_CON_FOREIGN, buf);
		retort__strvec_add(&c->columns, "a");
		c->ref_schema = retort__strdup("aux");
		c->ref_table = retort__strdup("x");
		retort__strvec_add(&c->ref_columns, "id");
	}
}

/* The index on one data column: plain, unique, partial or on an expression. */
static void build_index(const tabspec *ts, const char *name, retort_table *t, bool pg)
{
	char *col = retort__sprintf("c%d%s", ts->idx, ts->cols[ts->idx].renamed ? "r" : ""), *q = qi(col), *key;
	retort_index *x;
	char buf[256];

	snprintf(buf, sizeof(buf), "%s_idx", name);
	x = retort_table_add_index(t, buf);
	x->unique = ts->idxkind == 1;
	key = ts->idxkind == 3 ? retort__sprintf("lower(%s)", q) : retort__strdup(q);
	retort_vec_push(&x->keys, key);
	if (ts->idxkind == 2)
		x->where = retort__sprintf("%s IS NOT NULL", q);
	if (pg)
		x->definition = retort__sprintf("CREATE %sINDEX \"%s\" ON \"public\".\"%s\" (%s)%s%s%s",
			x->unique ? "UNIQUE " : "", buf, name, key, x->where ? " WHERE (" : "",
			x->where ? x->where : "", x->where ? ")" : "");
	free(col);
	free(q);
}

/* Table tI as `ts` describes it. */
static void build_table(gen *g, const tabspec *ts, int i, retort_model *m)
{
	bool pg = g->d == RETORT_DIALECT_POSTGRES;
	char name[16];
	retort_table *t;

	snprintf(name, sizeof(name), "t%d", i);
	t = retort_model_add_table(m, pg ? "public" : NULL, name);
	t->strict = ts->strict;
	t->without_rowid = ts->norowid;
	build_key(g, ts, name, t, m);
	if (ts->comment)
		t->comment = retort__sprintf("table %s", name);
	if (ts->trigger)
		retort_vec_push(&t->triggers, retort__sprintf("CREATE TRIGGER \"%s_trg\" AFTER INSERT ON \"%s\" "
			"BEGIN SELECT 1; END", name, name));
	build_columns(g, ts, t);
	build_constraints(ts, name, t, pg);
	if (ts->idx >= 0)
		build_index(ts, name, t, pg);
}

/* The view v0 over t0. */
static void build_view(const spec *s, retort_model *m, bool pg)
{
	const char *cols = s->view == 1 ? "\"id\"" : "\"id\", \"id\" + 1 AS \"next\"";
	retort_view *v;
	char *def = pg ? retort__sprintf("SELECT %s FROM \"public\".\"t0\"", cols)
		: retort__sprintf("CREATE VIEW \"v0\" AS SELECT %s FROM \"t0\"", cols);

	v = retort_model_add_view(m, pg ? "public" : NULL, "v0", def);
	retort__strvec_add(&v->depends, pg ? "public.t0" : "t0");
	if (pg && s->view_comment)
		v->comment = retort__strdup("ids of t0");
	free(def);
	/* SQLite: a view over the view (made after it, dropped before), and a trigger on the view. */
	if (s->vtrigger)
		retort__strvec_add(&v->triggers, "CREATE TRIGGER \"v0_ins\" INSTEAD OF INSERT ON \"v0\" "
			"BEGIN INSERT INTO \"t0\" (\"id\") VALUES (NEW.\"id\"); END");
	if (s->view2) {
		v = retort_model_add_view(m, NULL, "v1", "CREATE VIEW \"v1\" AS SELECT \"id\" FROM \"v0\"");
		retort__strvec_add(&v->depends, "v0");
	}
}

static void build(gen *g, const spec *s, retort_model *m)
{
	bool pg = g->d == RETORT_DIALECT_POSTGRES;

	if (pg)
		build_pg_objects(s, m);
	for (int i = 0; i < NT; i++)
		if (s->t[i].on)
			build_table(g, &s->t[i], i, m);
	if (s->view)
		build_view(s, m, pg);
	retort_model_sort(m);
}

void schema_gen_pair(retort_model **a, retort_model **b, retort_vec *renames, retort_dialect_id dialect,
	uint64_t seed)
{
	gen g = { seed * 0x9E3779B97F4A7C15ULL + 1, dialect, NULL, 0 };
	spec sa, sb;

	g.types = dialect == RETORT_DIALECT_POSTGRES ? pg_types : lite_types;
	g.ntypes = dialect == RETORT_DIALECT_POSTGRES ? (int)(sizeof(pg_types) / sizeof(pg_types[0]))
		: (int)(sizeof(lite_types) / sizeof(lite_types[0]));
	random_spec(&g, &sa);
	fixup(&g, &sa);
	sb = sa;
	mutate(&g, &sb);
	/* A table dropped and made again keeps its columns' type classes. */
	for (int i = 0; i < NT; i++)
		for (int k = 0; k < NC; k++) {
			colspec *ca = &sa.t[i].cols[k], *cb = &sb.t[i].cols[k];
			if (sa.t[i].on && sb.t[i].on && ca->on && cb->on && klass_of(&g, ca) != klass_of(&g, cb))
				cb->type = ca->type;
		}
	fixup(&g, &sb);
	/* A column on both sides under another name is a rename, said so to the diff. */
	for (int i = 0; i < NT; i++)
		for (int k = 0; k < NC; k++) {
			colspec *ca = &sa.t[i].cols[k], *cb = &sb.t[i].cols[k];
			if (sa.t[i].on && sb.t[i].on && ca->on && cb->on && ca->renamed != cb->renamed && renames)
				retort_vec_push(renames, retort__sprintf("t%d.c%d%s=c%d%s", i, k, ca->renamed ? "r" : "",
					k, cb->renamed ? "r" : ""));
		}
	*a = retort_model_new(dialect);
	*b = retort_model_new(dialect);
	build(&g, &sa, *a);
	build(&g, &sb, *b);
	if (dialect == RETORT_DIALECT_POSTGRES)
		schema_gen_pg_pair(*a, *b, seed);
}

char *schema_gen_create_sql(const retort_model *m)
{
	retort_model *empty = retort_model_new(m->dialect);
	retort_diff *d = NULL;
	retort_buf out = RETORT_BUF_INIT;

	/* The target's own schemas (public) already exist in a fresh database. */
	if (m->dialect == RETORT_DIALECT_POSTGRES)
		retort__strvec_add(&empty->schemas, "public");
	empty->has_privileges = m->has_privileges;
	retort_model_sort(empty);
	if (retort_schema_diff(&d, empty, m, NULL) == 0)
		retort_diff_render(&out, d);
	retort_diff_free(d);
	retort_model_free(empty);
	return retort_buf_detach(&out);
}

char *schema_gen_rows_sql(const retort_model *m)
{
	retort_buf out = RETORT_BUF_INIT;

	for (size_t i = 0; i < m->tables.len; i++) {
		retort_table *t = m->tables.items[i];
		retort_buf_printf(&out, "INSERT INTO \"%s\" (", t->name);
		for (size_t j = 0, n = 0; j < t->columns.len; j++) {
			retort_model_column *c = t->columns.items[j];
			if (c->generated || strcmp(c->name, "r") == 0)
				continue;
			retort_buf_printf(&out, "%s\"%s\"", n++ ? ", " : "", c->name);
		}
		retort_buf_puts(&out, ") VALUES ");
		for (int row = 1; row <= 3; row++) {
			retort_buf_printf(&out, "%s(", row > 1 ? ", " : "");
			for (size_t j = 0, n = 0; j < t->columns.len; j++) {
				retort_model_column *c = t->columns.items[j];
				if (c->generated || strcmp(c->name, "r") == 0)
					continue;
				if (n++)
					retort_buf_puts(&out, ", ");
				if (strstr(c->type, "INT"))
					retort_buf_printf(&out, "%d", row);
				else if (strstr(c->type, "CHAR") || strstr(c->type, "TEXT"))
					retort_buf_printf(&out, "'v%d'", row);
				else if (strstr(c->type, "BLOB"))
					retort_buf_printf(&out, "x'0%d'", row);
				else
					retort_buf_printf(&out, "%d.5", row);
			}
			retort_buf_putc(&out, ')');
		}
		retort_buf_puts(&out, ";\n");
	}
	return retort_buf_detach(&out);
}

/* --- normalizing external dumps ------------------------------------------------- */

static int cmp_strs(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Drop double quotes around identifiers that need none. */
static void unquote_simple(retort_buf *out, const char *s)
{
	for (const char *p = s; *p; p++) {
		if (*p == '"') {
			const char *e = p + 1;
			bool simple = (*e >= 'a' && *e <= 'z') || *e == '_';
			while (*e && *e != '"') {
				if (!((*e >= 'a' && *e <= 'z') || (*e >= '0' && *e <= '9') || *e == '_'))
					simple = false;
				e++;
			}
			if (*e == '"' && simple && e > p + 1) {
				retort_buf_put(out, p + 1, (size_t)(e - p - 1));
				p = e;
				continue;
			}
		}
		if (*p == '\'') {
			const char *e = strchr(p + 1, '\'');
			size_t n = e ? (size_t)(e - p + 1) : strlen(p);
			retort_buf_put(out, p, n);
			p += n - 1;
			continue;
		}
		retort_buf_putc(out, *p);
	}
}

/* CREATE TABLE body items sorted, so column order does not count. */
static char *sort_table_items(const char *stmt)
{
	const char *open = strchr(stmt, '('), *close = strrchr(stmt, ')');
	retort_vec items = RETORT_VEC_INIT;
	retort_buf out = RETORT_BUF_INIT;
	const char *start;
	int depth = 0;
	bool quote = false;

	if (strncmp(stmt, "CREATE TABLE", 12) != 0 || !open || !close || close < open)
		return retort__strdup(stmt);
	start = open + 1;
	for (const char *p = open + 1; p <= close; p++) {
		if (*p == '\'' || *p == '"')
			quote = !quote;
		if (quote)
			continue;
		if (*p == '(')
			depth++;
		else if (*p == ')' && p != close)
			depth--;
		if ((*p == ',' && depth == 0) || p == close) {
			char *item = retort__strndup(start, (size_t)(p - start));
			retort_vec_push(&items, retort__trim(item));
			start = p + 1;
		}
	}
	retort_vec_sort(&items, cmp_strs);
	retort_buf_put(&out, stmt, (size_t)(open - stmt + 1));
	for (size_t i = 0; i < items.len; i++)
		retort_buf_printf(&out, "%s%s", i ? ", " : "", (char *)items.items[i]);
	retort_buf_puts(&out, close);
	retort_vec_dispose(&items, true);
	return retort_buf_detach(&out);
}

char *schema_gen_normalize_dump(const char *dump)
{
	retort_buf kept = RETORT_BUF_INIT, out = RETORT_BUF_INIT, uq = RETORT_BUF_INIT;
	retort_vec stmts = RETORT_VEC_INIT;
	char *copy = retort__strdup(dump ? dump : ""), *line, *save = NULL, *p;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!*line || strncmp(line, "--", 2) == 0 || strncmp(line, "SET ", 4) == 0 ||
			strncmp(line, "SELECT pg_catalog.set_config", 28) == 0 || strncmp(line, "\\restrict", 9) == 0 ||
			strncmp(line, "\\unrestrict", 11) == 0)
			continue;
		retort_buf_printf(&kept, "%s\n", line);
	}
	unquote_simple(&uq, kept.ptr);
	p = uq.ptr;
	while (*p) {
		char *end = strstr(p, ";\n");
		char *stmt = end ? retort__strndup(p, (size_t)(end - p)) : retort__strdup(p);
		char *sq = retort__sql_squeeze(stmt);
		if (*sq && strncmp(sq, "CREATE TABLE sqlite_sequence", 28) != 0)
			retort_vec_push(&stmts, sort_table_items(sq));
		free(sq);
		free(stmt);
		if (!end)
			break;
		p = end + 2;
	}
	retort_vec_sort(&stmts, cmp_strs);
	for (size_t i = 0; i < stmts.len; i++)
		retort_buf_printf(&out, "%s;\n", (char *)stmts.items[i]);
	retort_vec_dispose(&stmts, true);
	retort_buf_dispose(&kept);
	retort_buf_dispose(&uq);
	free(copy);
	return retort_buf_detach(&out);
}


/* --- rows that reference rows ---------------------------------------------- */

/* The foreign key of `t` on column "r", or NULL. */
static const retort_model_constraint *fk_on_r(const retort_table *t)
{
	for (size_t i = 0; t && i < t->constraints.len; i++) {
		const retort_model_constraint *c = t->constraints.items[i];
		if (c->kind == RETORT_CON_FOREIGN && c->columns.len == 1 && strcmp(c->columns.items[0], "r") == 0)
			return c;
	}
	return NULL;
}

char *schema_gen_references_sql(const retort_model *a, const retort_model *b)
{
	retort_buf out = RETORT_BUF_INIT;

	for (size_t i = 0; i < a->tables.len; i++) {
		const retort_table *t = a->tables.items[i];
		const retort_model_constraint *fa = fk_on_r(t), *fb = fk_on_r(retort_model_table(b, t->schema, t->name));

		/* B may point the key at a table that A lacks (empty in B): leave those NULL. */
		if (!fa || (fb && !retort_model_table(a, fb->ref_schema, fb->ref_table)))
			continue;
		retort_buf_printf(&out, "UPDATE \"%s\" SET \"r\" = \"id\";\n", t->name);
	}
	return retort_buf_detach(&out);
}
