/*
 * reflect_pg_deps.c - what PostgreSQL objects depend on each other
 * (pg_depend), and, when asked, privileges and default privileges: three
 * bulk queries.
 *
 * Dependencies are read as pairs of object keys (model_pg.h), built by the
 * server from the catalogs: a view depends on the columns, functions and
 * types its query uses, a default or CHECK on the functions it calls, a
 * trigger on its function, a column on its domain.  Only normal
 * dependencies between user objects are read; one on an object an
 * extension created is a dependency on the extension.  The diff uses them
 * to order statements and to recreate what stands on an object that has
 * to be dropped and created again.
 *
 * Privileges are each object's ACL exploded into (grantee, privilege,
 * grantable) entries, the built-in default ACL standing in for a NULL one,
 * so "never granted" and "granted what the default gives" compare equal.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/reflect_pg.h"

/*
 * The dependencies, keyed by the server with hash joins (a correlated
 * subquery per row was most of the time): the normal dependencies between
 * user objects, a foreign key's aside (keys are ordered by the table diff,
 * and PostgreSQL rebuilds them itself when a referenced column changes
 * type), each on its referenced column and on that column's relation too;
 * then the key of every object that appears, one catalog per branch.
 */
#define CLS(c) "'pg_catalog." c "'::regclass"

static const char q_deps[] =
	"WITH d0 AS (SELECT d.classid, d.objid, d.objsubid, d.refclassid, d.refobjid, d.refobjsubid"
	"  FROM pg_catalog.pg_depend d"
	"  LEFT JOIN pg_catalog.pg_constraint fk ON d.classid = " CLS("pg_constraint") " AND fk.oid = d.objid"
	"  WHERE d.deptype = 'n' AND d.objid >= 16384 AND d.refobjid >= 16384 AND coalesce(fk.contype, '') <> 'f'"
	"  AND d.classid IN (" CLS("pg_class") ", " CLS("pg_proc") ", " CLS("pg_type") ", " CLS("pg_constraint") ","
	"   " CLS("pg_attrdef") ", " CLS("pg_rewrite") ", " CLS("pg_trigger") ", " CLS("pg_policy") ")"
	"  AND d.refclassid IN (" CLS("pg_class") ", " CLS("pg_proc") ", " CLS("pg_type") ", " CLS("pg_collation") ")),"
	" d AS (SELECT classid, objid, objsubid, refclassid, refobjid, refobjsubid FROM d0"
	"  UNION SELECT classid, objid, objsubid, refclassid, refobjid, 0 FROM d0 WHERE refobjsubid > 0),"
	" o AS (SELECT classid, objid, objsubid FROM d UNION SELECT refclassid, refobjid, refobjsubid FROM d),"
	/* Arrays stand for their element; a relation's row type for the relation. */
	" ty AS (SELECT t.oid, CASE WHEN rc.oid IS NOT NULL AND rc.relkind <> 'c' THEN rn.nspname || '.' || rc.relname"
	"  ELSE 'type:' || tn.nspname || '.' || et.typname END AS k"
	"  FROM pg_catalog.pg_type t"
	"  JOIN pg_catalog.pg_type et ON et.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN t.typelem ELSE t.oid END"
	"  JOIN pg_catalog.pg_namespace tn ON tn.oid = et.typnamespace"
	"  LEFT JOIN pg_catalog.pg_class rc ON rc.oid = et.typrelid"
	"  LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace"
	"  WHERE t.oid IN (SELECT objid FROM o WHERE classid = " CLS("pg_type") ")"
	"   OR t.oid IN (SELECT kc.contypid FROM pg_catalog.pg_constraint kc JOIN o ON o.classid = " CLS("pg_constraint")
	"    AND o.objid = kc.oid)),"
	" k AS ("
	/* A composite type's attributes are the type itself. */
	"  SELECT o.classid, o.objid, o.objsubid, CASE WHEN c.relkind = 'c' THEN 'type:' || n.nspname || '.' || c.relname"
	"   ELSE CASE WHEN o.objsubid > 0 THEN 'column:' ELSE '' END"
	"   || CASE WHEN c.relkind IN ('i', 'I') THEN 'index:' ELSE '' END"
	"   || n.nspname || '.' || c.relname || coalesce('.' || a.attname, '') END AS k"
	"  FROM o JOIN pg_catalog.pg_class c ON o.classid = " CLS("pg_class") " AND c.oid = o.objid"
	"  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	"  LEFT JOIN pg_catalog.pg_attribute a ON o.objsubid > 0 AND a.attrelid = c.oid AND a.attnum = o.objsubid"
	"  UNION ALL SELECT o.classid, o.objid, o.objsubid, 'function:' || n.nspname || '.' || p.proname || '('"
	"   || pg_catalog.oidvectortypes(p.proargtypes) || ')'"
	"  FROM o JOIN pg_catalog.pg_proc p ON o.classid = " CLS("pg_proc") " AND p.oid = o.objid"
	"  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
	"  UNION ALL SELECT o.classid, o.objid, o.objsubid, ty.k"
	"  FROM o JOIN ty ON o.classid = " CLS("pg_type") " AND ty.oid = o.objid"
	"  UNION ALL SELECT o.classid, o.objid, o.objsubid, CASE WHEN kc.contypid <> 0 THEN ty.k"
	"   ELSE 'constraint:' || n.nspname || '.' || c.relname || '.' || kc.conname END"
	"  FROM o JOIN pg_catalog.pg_constraint kc ON o.classid = " CLS("pg_constraint") " AND kc.oid = o.objid"
	"  LEFT JOIN pg_catalog.pg_class c ON c.oid = kc.conrelid"
	"  LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	"  LEFT JOIN ty ON ty.oid = kc.contypid"
	"  UNION ALL SELECT o.classid, o.objid, o.objsubid, 'default:' || n.nspname || '.' || c.relname || '.' || a.attname"
	"  FROM o JOIN pg_catalog.pg_attrdef ad ON o.classid = " CLS("pg_attrdef") " AND ad.oid = o.objid"
	"  JOIN pg_catalog.pg_class c ON c.oid = ad.adrelid"
	"  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	"  JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum"
	"  UNION ALL SELECT o.classid, o.objid, o.objsubid, n.nspname || '.' || c.relname"
	"  FROM o JOIN pg_catalog.pg_rewrite r ON o.classid = " CLS("pg_rewrite") " AND r.oid = o.objid"
	"  JOIN pg_catalog.pg_class c ON c.oid = r.ev_class"
	"  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	"  UNION ALL SELECT o.classid, o.objid, o.objsubid, 'trigger:' || n.nspname || '.' || c.relname || '.' || tg.tgname"
	"  FROM o JOIN pg_catalog.pg_trigger tg ON o.classid = " CLS("pg_trigger") " AND tg.oid = o.objid"
	"  JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid"
	"  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	"  UNION ALL SELECT o.classid, o.objid, o.objsubid, 'policy:' || n.nspname || '.' || c.relname || '.' || pl.polname"
	"  FROM o JOIN pg_catalog.pg_policy pl ON o.classid = " CLS("pg_policy") " AND pl.oid = o.objid"
	"  JOIN pg_catalog.pg_class c ON c.oid = pl.polrelid"
	"  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	"  UNION ALL SELECT o.classid, o.objid, o.objsubid, 'collation:' || n.nspname || '.' || co.collname"
	"  FROM o JOIN pg_catalog.pg_collation co ON o.classid = " CLS("pg_collation") " AND co.oid = o.objid"
	"  JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace),"
	/* What an extension created stands for the extension. */
	" ext AS (SELECT x.classid, x.objid, 'extension:' || e.extname AS k FROM pg_catalog.pg_depend x"
	"  JOIN pg_catalog.pg_extension e ON e.oid = x.refobjid WHERE x.deptype = 'e')"
	" SELECT DISTINCT f.k, coalesce(e.k, t.k) FROM d"
	" JOIN k f ON f.classid = d.classid AND f.objid = d.objid AND f.objsubid = d.objsubid"
	" JOIN k t ON t.classid = d.refclassid AND t.objid = d.refobjid AND t.objsubid = d.refobjsubid"
	" LEFT JOIN ext e ON e.classid = d.refclassid AND e.objid = d.refobjid"
	" WHERE f.k IS NOT NULL AND coalesce(e.k, t.k) IS NOT NULL AND f.k <> coalesce(e.k, t.k)"
	" ORDER BY 1, 2";

#define GRANTEE "CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END"
#define SAME_ENTRY "x.grantee = a.grantee AND x.privilege_type = a.privilege_type AND x.is_grantable = a.is_grantable"

/*
 * Every object with its ACL and the built-in default one; then what the
 * ACL adds to the default (granted) and what it lacks of it (revoked), so
 * an owner's own privileges, whoever the owner is, never show.
 */
static const char q_grants[] =
	"WITH o(objtype, schema, name, sub, key, acl, def) AS ("
	" SELECT CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END, n.nspname, c.relname, NULL, n.nspname || '.' || c.relname,"
	"  coalesce(c.relacl, acldefault((CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END)::\"char\", c.relowner)),"
	"  acldefault((CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END)::\"char\", c.relowner)"
	" FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND " NS_FILTER NOT_EXT("c.oid", "pg_catalog.pg_class")
	" UNION ALL"
	" SELECT 'c', n.nspname, c.relname, att.attname, n.nspname || '.' || c.relname, att.attacl, NULL::aclitem[]"
	" FROM pg_catalog.pg_attribute att JOIN pg_catalog.pg_class c ON c.oid = att.attrelid"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" WHERE att.attacl IS NOT NULL AND att.attnum > 0 AND NOT att.attisdropped AND " NS_FILTER
	" UNION ALL"
	" SELECT CASE WHEN p.prokind = 'p' THEN 'p' ELSE 'f' END, n.nspname, p.proname,"
	"  pg_catalog.pg_get_function_identity_arguments(p.oid),"
	"  'function:' || n.nspname || '.' || p.proname || '(' || pg_catalog.oidvectortypes(p.proargtypes) || ')',"
	"  coalesce(p.proacl, acldefault('f'::\"char\", p.proowner)), acldefault('f'::\"char\", p.proowner)"
	" FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
	" WHERE p.prokind IN ('f', 'p', 'w') AND " NS_FILTER NOT_EXT("p.oid", "pg_catalog.pg_proc")
	" UNION ALL"
	" SELECT 'T', n.nspname, t.typname, NULL, 'type:' || n.nspname || '.' || t.typname,"
	"  coalesce(t.typacl, acldefault('T'::\"char\", t.typowner)), acldefault('T'::\"char\", t.typowner)"
	" FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
	" LEFT JOIN pg_catalog.pg_class tc ON tc.oid = t.typrelid"
	" WHERE (t.typtype IN ('d', 'e') OR (t.typtype = 'c' AND tc.relkind = 'c')) AND " NS_FILTER
	NOT_EXT("t.oid", "pg_catalog.pg_type")
	" UNION ALL"
	" SELECT 'n', NULL, n.nspname, NULL, 'schema:' || n.nspname,"
	"  coalesce(n.nspacl, acldefault('n'::\"char\", n.nspowner)), acldefault('n'::\"char\", n.nspowner)"
	" FROM pg_catalog.pg_namespace n WHERE " NS_FILTER NOT_EXT("n.oid", "pg_catalog.pg_namespace") ")"
	" SELECT o.objtype, o.schema, o.name, o.sub, o.key, " GRANTEE ", a.privilege_type, a.is_grantable, false"
	/* An ACL everything was revoked from is empty, which aclexplode() refuses. */
	" FROM o, aclexplode(NULLIF(o.acl, '{}')) a WHERE NOT EXISTS (SELECT 1 FROM aclexplode(o.def) x WHERE " SAME_ENTRY ")"
	" UNION ALL"
	" SELECT o.objtype, o.schema, o.name, o.sub, o.key, " GRANTEE ", a.privilege_type, a.is_grantable, true"
	" FROM o, aclexplode(o.def) a WHERE NOT EXISTS (SELECT 1 FROM aclexplode(NULLIF(o.acl, '{}')) x WHERE " SAME_ENTRY ")";

/* Global defaults count as what they add to or take from the built-in ones; per-schema ones add. */
#define DEFACL_BUILTIN "acldefault((CASE WHEN d.defaclobjtype = 'S' THEN 's' ELSE d.defaclobjtype END)::\"char\", d.defaclrole)"
static const char q_default_grants[] =
	"SELECT pg_catalog.pg_get_userbyid(d.defaclrole), n.nspname, d.defaclobjtype, " GRANTEE ","
	" a.privilege_type, a.is_grantable, false"
	" FROM pg_catalog.pg_default_acl d LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace,"
	" aclexplode(NULLIF(d.defaclacl, '{}')) a"
	" WHERE d.defaclnamespace <> 0 OR NOT EXISTS (SELECT 1 FROM aclexplode(" DEFACL_BUILTIN ") x WHERE " SAME_ENTRY ")"
	" UNION ALL"
	" SELECT pg_catalog.pg_get_userbyid(d.defaclrole), NULL, d.defaclobjtype, " GRANTEE ","
	" a.privilege_type, a.is_grantable, true"
	" FROM pg_catalog.pg_default_acl d, aclexplode(" DEFACL_BUILTIN ") a"
	" WHERE d.defaclnamespace = 0"
	" AND NOT EXISTS (SELECT 1 FROM aclexplode(NULLIF(d.defaclacl, '{}')) x WHERE " SAME_ENTRY ")";

static void load_deps(retort_model *m, const retort_rows *r)
{
	for (size_t i = 0; i < r->nrows; i++)
		retort_model_add_dep(m, CELL(r, i, 0), CELL(r, i, 1));
}

static void load_grants(retort_model *m, const retort_rows *r, const retort_reflect_opts *opts)
{
	for (size_t i = 0; i < r->nrows; i++) {
		const char *schema = CELL(r, i, 1), *name = CELL(r, i, 2);
		char type = CELL(r, i, 0)[0];

		if (type == 'n' ? !retort__reflect_schema_wanted(opts, name)
			: (type == 'r' || type == 's' || type == 'c') ? !retort__reflect_table_wanted(opts, schema, name)
			: !retort__reflect_schema_wanted(opts, schema))
			continue;
		retort_model_add_grant(m, type, schema, name, CELL(r, i, 3), CELL(r, i, 4), CELL(r, i, 5),
			CELL(r, i, 6), retort__pg_truth(CELL(r, i, 7)), retort__pg_truth(CELL(r, i, 8)));
	}
}

static void load_default_grants(retort_model *m, const retort_rows *r, const retort_reflect_opts *opts)
{
	for (size_t i = 0; i < r->nrows; i++) {
		if (CELL(r, i, 1) && !retort__reflect_schema_wanted(opts, CELL(r, i, 1)))
			continue;
		retort_model_add_default_grant(m, CELL(r, i, 0), CELL(r, i, 1), CELL(r, i, 2)[0], CELL(r, i, 3),
			CELL(r, i, 4), retort__pg_truth(CELL(r, i, 5)), retort__pg_truth(CELL(r, i, 6)));
	}
}

int retort__reflect_pg_deps(retort_model *m, retort_db *db, const retort_reflect_opts *opts)
{
	retort_rows *r = NULL;
	int error;

	if ((error = retort__reflect_query(&r, m, db, q_deps)) < 0)
		goto done;
	load_deps(m, r);
	retort_rows_free(r);
	r = NULL;
	if (!opts->privileges || !retort__reflect_kind_wanted(opts, "privileges"))
		goto done;
	m->has_privileges = true;
	if ((error = retort__reflect_query(&r, m, db, q_grants)) < 0)
		goto done;
	load_grants(m, r, opts);
	retort_rows_free(r);
	r = NULL;
	if ((error = retort__reflect_query(&r, m, db, q_default_grants)) < 0)
		goto done;
	load_default_grants(m, r, opts);
done:
	retort_rows_free(r);
	return error;
}
