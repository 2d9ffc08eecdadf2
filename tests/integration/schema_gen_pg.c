/*
 * schema_gen_pg.c - the PostgreSQL catalog half of the generated schema
 * pairs (see schema_gen.h): functions and procedures, triggers,
 * row-level security and policies, domains, composite types, an enum whose
 * new label is used at once, a materialized view with an index,
 * partitions, inheritance, a collation, NOT VALID and MATCH FULL
 * constraints, identity options, comments on every kind, privileges and
 * default privileges.
 *
 * They live in their own schema with an awkward name ("Odd.Schema") and
 * around their own tables ("Order", with a column "from"), so names with
 * dots, quotes, capitals and reserved words are on every path.  A spec of
 * small variants is drawn for A and mutated for B, like the tables' spec;
 * the interactions that need dependency order are built in: a view, a
 * materialized view, a policy and a trigger read the column whose type
 * may change; a function whose result type may change is used by a view
 * and a default; a SQL function reads a table; a trigger calls a
 * function; a column has a domain type.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "integration/schema_gen.h"

#define S "Odd.Schema"
#define QS "\"Odd.Schema\""

typedef struct pgspec {
	bool on;
	int coltype;       /* "Order"."from": integer or bigint, under views, a policy and a trigger */
	int fn_ret;        /* "Calc""Q": integer or bigint (not replaceable in place) */
	int fn_body;       /* replaceable: body, volatility, strictness, SET */
	int fn_argname;    /* x or y (not replaceable in place) */
	bool fn_comment, sqlfn, proc;
	int trg;           /* 0 none, 1 row BEFORE INSERT, 2 BEFORE UPDATE OF ... WHEN, 3 statement with a transition table */
	int trg_enabled;   /* O D R A */
	bool ctrg, trg_comment, instead;
	bool rls, force;
	int pol;           /* 0 none, 1 permissive SELECT, 2 restrictive UPDATE with WITH CHECK */
	int pol_roles, pol_expr;
	bool pol_renamed, pol_comment;
	int dom_default, dom_check;
	bool dom_notnull, dom_comment;
	int comp;          /* 0 none, 1 (a, b), 2 (a, b, c), 3 (a text, b) */
	int mv;            /* 0 none, 1 or 2 definitions */
	bool mv_data, mv_index, mv_comment;
	int part;          /* 0 none, 1 one partition, 2 two, 3 the second's bound moved */
	bool inherit, coll, notvalid, matchfull;
	int ident;         /* identity sequence options */
	bool comments;     /* on the schema, a sequence, a constraint, an index */
	int labels;        /* enum "State": 2 or 3 labels; the default uses the third when there */
	int grants, defgrants;
} pgspec;

static uint64_t step(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

static int roll(uint64_t *s, int n)
{
	return (int)(step(s) % (uint64_t)n);
}

static void random_pgspec(uint64_t *r, pgspec *p)
{
	memset(p, 0, sizeof(*p));
	p->on = roll(r, 100) < 85;
	p->coltype = roll(r, 2);
	p->fn_ret = roll(r, 2);
	p->fn_body = roll(r, 3);
	p->fn_argname = roll(r, 2);
	p->fn_comment = roll(r, 2);
	p->sqlfn = roll(r, 2);
	p->proc = roll(r, 2);
	p->trg = roll(r, 4);
	p->trg_enabled = roll(r, 4);
	p->ctrg = roll(r, 2);
	p->trg_comment = roll(r, 2);
	p->instead = roll(r, 2);
	p->rls = roll(r, 2);
	p->force = roll(r, 2);
	p->pol = roll(r, 3);
	p->pol_roles = roll(r, 3);
	p->pol_expr = roll(r, 2);
	p->pol_comment = roll(r, 2);
	p->dom_default = roll(r, 3);
	p->dom_check = roll(r, 3);
	p->dom_notnull = roll(r, 2);
	p->dom_comment = roll(r, 2);
	p->comp = roll(r, 4);
	p->mv = roll(r, 3);
	p->mv_data = roll(r, 2);
	p->mv_index = roll(r, 2);
	p->mv_comment = roll(r, 2);
	p->part = roll(r, 4);
	p->inherit = roll(r, 2);
	p->coll = roll(r, 2);
	p->notvalid = roll(r, 2);
	p->matchfull = roll(r, 2);
	p->ident = roll(r, 3);
	p->comments = roll(r, 2);
	p->labels = 2 + roll(r, 2);
	p->grants = roll(r, 4);
	p->defgrants = roll(r, 3);
}

/* One to four changes, each to one variant. */
static void mutate_pgspec(uint64_t *r, pgspec *p)
{
	int n = 1 + roll(r, 4);

	for (int i = 0; i < n; i++) {
		switch (roll(r, 30)) {
		case 0: p->on = !p->on; break;
		case 1: p->coltype ^= 1; break;
		case 2: p->fn_ret ^= 1; break;
		case 3: p->fn_body = roll(r, 3); p->fn_comment = !p->fn_comment; break;
		case 4: p->fn_argname ^= 1; break;
		case 5: p->sqlfn = !p->sqlfn; p->proc = !p->proc; break;
		case 6: p->trg = roll(r, 4); break;
		case 7: p->trg_enabled = roll(r, 4); p->trg_comment = !p->trg_comment; break;
		case 8: p->ctrg = !p->ctrg; p->instead = !p->instead; break;
		case 9: p->rls = !p->rls; break;
		case 10: p->force = !p->force; break;
		case 11: p->pol = roll(r, 3); break;
		case 12: p->pol_roles = roll(r, 3); p->pol_comment = !p->pol_comment; break;
		case 13: p->pol_expr ^= 1; break;
		case 14: p->pol_renamed = !p->pol_renamed; break;
		case 15: p->dom_default = roll(r, 3); p->dom_notnull = !p->dom_notnull; break;
		case 16: p->dom_check = roll(r, 3); p->dom_comment = !p->dom_comment; break;
		case 17: p->comp = roll(r, 4); break;
		case 18: p->mv = roll(r, 3); p->mv_data = !p->mv_data; break;
		case 19: p->mv_index = !p->mv_index; p->mv_comment = !p->mv_comment; break;
		case 20: p->part = roll(r, 4); break;
		case 21: p->inherit = !p->inherit; break;
		case 22: p->coll = !p->coll; break;
		case 23: p->notvalid = !p->notvalid; p->matchfull = !p->matchfull; break;
		case 24: p->ident = roll(r, 3); break;
		case 25: p->comments = !p->comments; break;
		case 26: p->labels = 5 - p->labels; break;
		case 27: p->grants = roll(r, 4); break;
		case 28: p->defgrants = roll(r, 3); break;
		default: p->rls = !p->rls; p->force = !p->force; break;
		}
	}
}

/* --- building ------------------------------------------------------------------ */

static retort_model_column *col(retort_table *t, const char *name, const char *type)
{
	return retort_table_add_column(t, name, type);
}

static void pkey(retort_table *t, const char *name, const char *column)
{
	retort__strvec_add(&retort_table_add_constraint(t, RETORT_CON_PRIMARY, name)->columns, column);
}

static const char *coltype(const pgspec *p)
{
	return p->coltype ? "bigint" : "integer";
}

static void build_types(const pgspec *p, retort_model *m)
{
	retort_enum *e = retort_model_add_enum(m, S, "State");
	retort_pg_domain *d = retort_model_add_domain(m, S, "Positive");
	static const char *const labels[] = { "new", "done", "gone" };

	for (int i = 0; i < p->labels; i++)
		retort__strvec_add(&e->labels, labels[i]);
	d->type = retort__strdup("integer");
	if (p->dom_default)
		d->default_expr = retort__strdup(p->dom_default == 1 ? "1" : "7");
	d->notnull = p->dom_notnull;
	if (p->dom_check)
		retort_pg_domain_add_check(d, p->dom_check == 1 ? "positive" : "Small \"one\"",
			p->dom_check == 1 ? "CHECK (VALUE > 0)" : "CHECK (VALUE < 1000)");
	if (p->dom_comment)
		d->comment = retort__strdup("a positive number");
	if (p->comp) {
		retort_pg_composite *c = retort_model_add_composite(m, S, "Pair");
		retort_pg_composite_add_attr(c, "a", p->comp == 3 ? "text" : "integer", NULL);
		retort_pg_composite_add_attr(c, "b", "text", p->coll ? "C" : NULL);
		if (p->comp == 2)
			retort_pg_composite_add_attr(c, "select", "numeric(8,2)", NULL);
		if (p->mv_comment)
			c->comment = retort__strdup("two values");
	}
	if (p->coll) {
		retort_pg_collation *c = retort_model_add_collation(m, S, "ci");
		c->options = retort__strdup("provider = icu, deterministic = false, locale = 'und-u-ks-level2'");
		if (p->comments)
			c->comment = retort__strdup("case-insensitive");
	}
}

static void build_functions(const pgspec *p, retort_model *m)
{
	/* Replaceable in place: volatility, strictness, security, SET options, the body. */
	static const char *const attrs[] = { "IMMUTABLE", "STABLE STRICT", "SECURITY DEFINER\n SET search_path TO 'pg_catalog'" };
	static const char *const ops[] = { "+ 1", "* 2", "- 1" };
	const char *arg = p->fn_argname ? "y" : "x";
	char *body = retort__sprintf("LANGUAGE plpgsql %s\nAS $function$ begin return %s %s; end $function$\n",
		attrs[p->fn_body], arg, ops[p->fn_body]);
	retort_pg_function *f = retort_model_add_function(m, S, "Calc\"Q", "integer");

	f->definition = retort__sprintf("CREATE OR REPLACE FUNCTION " QS ".\"Calc\"\"Q\"(%s integer)\n RETURNS %s\n %s",
		arg, p->fn_ret ? "bigint" : "integer", body);
	if (p->fn_comment)
		f->comment = retort__strdup("adds one");
	free(body);
	f = retort_model_add_function(m, S, "touch", "");
	f->definition = retort__strdup("CREATE OR REPLACE FUNCTION " QS ".touch()\n RETURNS trigger\n LANGUAGE plpgsql\n"
		"AS $function$ begin return new; end $function$\n");
	if (p->sqlfn) {
		/* The server checks this body against the catalog: it needs "Order" first. */
		f = retort_model_add_function(m, S, "order_count", "");
		f->definition = retort__strdup("CREATE OR REPLACE FUNCTION " QS ".order_count()\n RETURNS bigint\n"
			" LANGUAGE sql\nAS $function$select count(*) from " QS ".\"Order\"$function$\n");
		retort_model_add_dep(m, f->key, S ".Order");
	}
	if (p->proc) {
		f = retort_model_add_function(m, S, "Tidy Up", "integer");
		f->kind = 'p';
		f->definition = retort__strdup("CREATE OR REPLACE PROCEDURE " QS ".\"Tidy Up\"(IN n integer)\n"
			" LANGUAGE plpgsql\nAS $procedure$ begin perform n; end $procedure$\n");
	}
}

static retort_table *build_order(const pgspec *p, retort_model *m)
{
	static const char *const idents[] = {
		"START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 CACHE 1 NO CYCLE",
		"START WITH 100 INCREMENT BY 10 MINVALUE 1 MAXVALUE 2147483647 CACHE 1 NO CYCLE",
		"START WITH 5 INCREMENT BY 5 MINVALUE 5 MAXVALUE 100000 CACHE 1 CYCLE",
	};
	retort_table *t = retort_model_add_table(m, S, "Order");
	retort_model_column *c;
	retort_model_constraint *k;

	c = col(t, "id", "integer");
	c->notnull = true;
	c->identity = 'd';
	c->identity_opts = retort__strdup(idents[p->ident]);
	pkey(t, "Order_pkey", "id");
	col(t, "from", coltype(p));
	c = col(t, "qty", "\"" S "\".\"Positive\"");
	c = col(t, "state", "\"" S "\".\"State\"");
	c->default_expr = retort__strdup(p->labels == 3 ? "'gone'" : "'new'");
	c = col(t, "calc", p->fn_ret ? "bigint" : "integer");
	c->default_expr = retort__strdup("\"" S "\".\"Calc\"\"Q\"(1)");
	if (p->coll) {
		c = col(t, "Label", "text");
		c->collation = retort__strdup("ci");
		c->collation_schema = retort__strdup(S);
	}
	k = retort_table_add_constraint(t, RETORT_CON_CHECK, "from_positive");
	k->pg_def = retort__strdup("CHECK ((\"from\" > 0))");
	k->not_valid = p->notvalid;
	if (p->comments)
		k->comment = retort__strdup("no negatives");
	t->rls = p->rls;
	t->rls_force = p->force;
	if (p->comments)
		t->comment = retort__strdup("orders");
	return t;
}

static void build_line(const pgspec *p, retort_model *m)
{
	retort_table *t = retort_model_add_table(m, S, "line");
	retort_model_constraint *k;
	retort_index *x;

	col(t, "id", "integer")->notnull = true;
	pkey(t, "line_pkey", "id");
	col(t, "order_id", "integer");
	col(t, "Note", "text");
	k = retort_table_add_constraint(t, RETORT_CON_FOREIGN, "line_order_fkey");
	retort__strvec_add(&k->columns, "order_id");
	k->ref_schema = retort__strdup(S);
	k->ref_table = retort__strdup("Order");
	retort__strvec_add(&k->ref_columns, "id");
	k->match_full = p->matchfull;
	k->not_valid = p->notvalid;
	x = retort_table_add_index(t, "line_note_idx");
	x->definition = retort__strdup("CREATE INDEX line_note_idx ON " QS ".line USING btree (\"Note\")");
	if (p->comments)
		x->comment = retort__strdup("by note");
}

static void build_views(const pgspec *p, retort_model *m)
{
	retort_view *v = retort_model_add_view(m, S, "order view",
		"SELECT \"Order\".id, \"Order\".\"from\", " QS ".\"Calc\"\"Q\"(\"Order\".\"from\"::integer) AS calc FROM " QS ".\"Order\"");

	retort__strvec_add(&v->depends, S ".Order");
	if (p->mv) {
		retort_view *mv = retort_model_add_view(m, S, "Totals", p->mv == 1
			? "SELECT \"Order\".\"from\", count(*) AS n FROM " QS ".\"Order\" GROUP BY \"Order\".\"from\""
			: "SELECT \"Order\".\"from\", sum(\"Order\".id) AS n FROM " QS ".\"Order\" GROUP BY \"Order\".\"from\"");
		mv->materialized = true;
		mv->with_data = p->mv_data;
		retort__strvec_add(&mv->depends, S ".Order");
		if (p->mv_comment)
			mv->comment = retort__strdup("per source");
		if (p->mv_index) {
			retort_index *x = retort__calloc(1, sizeof(*x));
			x->name = retort__strdup("totals_from");
			x->definition = retort__strdup("CREATE UNIQUE INDEX totals_from ON " QS ".\"Totals\" USING btree (\"from\")");
			if (p->comments)
				x->comment = retort__strdup("one row per source");
			retort_vec_push(&mv->indexes, x);
		}
	}
}

static void build_triggers(const pgspec *p, retort_model *m)
{
	static const char *const defs[] = {
		NULL,
		"CREATE TRIGGER \"On Insert\" BEFORE INSERT ON " QS ".\"Order\" FOR EACH ROW EXECUTE FUNCTION " QS ".touch()",
		"CREATE TRIGGER \"On Insert\" BEFORE UPDATE OF \"from\" ON " QS ".\"Order\" FOR EACH ROW"
		" WHEN ((old.\"from\" IS DISTINCT FROM new.\"from\")) EXECUTE FUNCTION " QS ".touch()",
		"CREATE TRIGGER \"On Insert\" AFTER INSERT ON " QS ".\"Order\" REFERENCING NEW TABLE AS fresh"
		" FOR EACH STATEMENT EXECUTE FUNCTION " QS ".touch()",
	};
	static const char states[] = { 'O', 'D', 'R', 'A' };
	retort_pg_trigger *t;

	if (p->trg) {
		t = retort_model_add_pg_trigger(m, S, "Order", "On Insert");
		t->definition = retort__strdup(defs[p->trg]);
		t->enabled = states[p->trg_enabled];
		if (p->trg_comment)
			t->comment = retort__strdup("stamps rows");
	}
	if (p->ctrg) {
		t = retort_model_add_pg_trigger(m, S, "line", "check_line");
		t->constraint = true;
		t->definition = retort__strdup("CREATE CONSTRAINT TRIGGER check_line AFTER INSERT ON " QS ".line"
			" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION " QS ".touch()");
	}
	if (p->instead) {
		t = retort_model_add_pg_trigger(m, S, "order view", "write through");
		t->definition = retort__strdup("CREATE TRIGGER \"write through\" INSTEAD OF INSERT ON " QS ".\"order view\""
			" FOR EACH ROW EXECUTE FUNCTION " QS ".touch()");
	}
}

static void build_policies(const pgspec *p, retort_model *m)
{
	retort_pg_policy *pol;

	if (!p->pol)
		return;
	pol = retort_model_add_policy(m, S, "Order", p->pol_renamed ? "Read Own" : "read own");
	pol->cmd = p->pol == 1 ? 'r' : 'w';
	pol->permissive = p->pol == 1;
	if (p->pol_roles == 0)
		retort__strvec_add(&pol->roles, "public");
	if (p->pol_roles >= 1)
		retort__strvec_add(&pol->roles, SCHEMA_GEN_ROLE_READER);
	if (p->pol_roles == 2)
		retort__strvec_add(&pol->roles, SCHEMA_GEN_ROLE_ODD);
	pol->using_expr = retort__strdup(p->pol_expr ? "(\"from\" > 0)" : "true");
	if (p->pol == 2)
		pol->check_expr = retort__strdup("(\"from\" < 1000)");
	if (p->pol_comment)
		pol->comment = retort__strdup("own rows");
}

/* A partitioned table, its partitions, and an inheritance child. */
static void build_partitions(const pgspec *p, retort_model *m)
{
	retort_table *t = retort_model_add_table(m, S, "events"), *c;

	col(t, "at", "date")->notnull = true;
	col(t, "what", "text");
	t->partition_key = retort__strdup("RANGE (at)");
	for (int i = 0; i < (p->part == 1 ? 1 : 2); i++) {
		c = retort_model_add_table(m, S, i ? "events 2021" : "events_2020");
		c->parent_schema = retort__strdup(S);
		c->parent = retort__strdup("events");
		c->partition_bound = retort__strdup(i == 0 ? "FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')"
			: p->part == 3 ? "FOR VALUES FROM ('2021-01-01') TO ('2023-01-01')"
			: "FOR VALUES FROM ('2021-01-01') TO ('2022-01-01')");
	}
	/* The child has the parent's column itself: INHERIT needs it, NO INHERIT keeps it. */
	t = retort_model_add_table(m, S, "base");
	col(t, "a", "integer");
	c = retort_model_add_table(m, S, "child");
	col(c, "a", "integer");
	col(c, "b", "text");
	if (p->inherit) {
		retort__strvec_add(&c->inherits, S);
		retort__strvec_add(&c->inherits, "base");
	}
}

static void grant(retort_model *m, char objtype, const char *name, const char *sub, const char *key,
	const char *grantee, const char *privilege, bool revoked)
{
	retort_model_add_grant(m, objtype, objtype == 'n' ? NULL : S, name, sub, key, grantee, privilege, false, revoked);
}

static void build_privileges(const pgspec *p, retort_model *m)
{
	m->has_privileges = true;
	if (p->grants >= 1)
		grant(m, 'r', "Order", NULL, S ".Order", SCHEMA_GEN_ROLE_READER, "SELECT", false);
	if (p->grants >= 2) {
		grant(m, 'c', "line", "Note", S ".line", SCHEMA_GEN_ROLE_ODD, "UPDATE", false);
		grant(m, 'n', S, NULL, "schema:" S, SCHEMA_GEN_ROLE_READER, "USAGE", false);
		grant(m, 'T', "State", NULL, "type:" S ".State", SCHEMA_GEN_ROLE_ODD, "USAGE", false);
	}
	if (p->grants == 3) {
		/* Routines can run for everyone until revoked. */
		grant(m, 'f', "Calc\"Q", p->fn_argname ? "y integer" : "x integer", "function:" S ".Calc\"Q(integer)",
			"PUBLIC", "EXECUTE", true);
		grant(m, 's', "Order_id_seq", NULL, S ".Order_id_seq", SCHEMA_GEN_ROLE_READER, "USAGE", false);
	}
	if (p->defgrants)
		retort_model_add_default_grant(m, "postgres", p->defgrants == 1 ? S : NULL, 'r', SCHEMA_GEN_ROLE_READER,
			"SELECT", false, false);
	if (p->defgrants == 2)
		retort_model_add_default_grant(m, "postgres", NULL, 'f', "PUBLIC", "EXECUTE", false, true);
}

static void build_pg(const pgspec *p, retort_model *m)
{
	retort__strvec_add(&m->schemas, S);
	if (p->comments) {
		retort_pg_schema *s = retort__calloc(1, sizeof(*s));
		s->name = retort__strdup(S);
		s->comment = retort__strdup("odd objects");
		retort_vec_push(&m->schema_comments, s);
	}
	build_types(p, m);
	build_functions(p, m);
	build_order(p, m);
	build_line(p, m);
	build_views(p, m);
	build_triggers(p, m);
	build_policies(p, m);
	if (p->part)
		build_partitions(p, m);
	build_privileges(p, m);
}

void schema_gen_pg_pair(retort_model *a, retort_model *b, uint64_t seed)
{
	uint64_t r = seed * 0xD1B54A32D192ED03ULL + 7;
	pgspec pa, pb;

	random_pgspec(&r, &pa);
	pb = pa;
	mutate_pgspec(&r, &pb);
	if (pa.on)
		build_pg(&pa, a);
	if (pb.on)
		build_pg(&pb, b);
	a->has_privileges = b->has_privileges = true;
	retort_model_sort(a);
	retort_model_sort(b);
}
