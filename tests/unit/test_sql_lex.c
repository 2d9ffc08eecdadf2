/*
 * test_sql_lex.c - both dialects' lexers (sql.h) on hostile text: every
 * quoting form with a ';' inside, dollar quotes with tags, nested and
 * non-nesting comments, E'' backslashes, U&"" identifiers, blobs, Tcl
 * parameters, unterminated quotes and comments, CRLF, binary junk.
 *
 * The expected tokens are written out by hand from each database's
 * documented lexical rules; whitespace tokens are checked for coverage,
 * not listed.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "harness/suites.h"
#include "sql/sql.h"

#define S RETORT_DIALECT_SQLITE
#define P RETORT_DIALECT_POSTGRES

typedef struct want {
	retort_sql_kind kind;
	const char *text;
	unsigned line;       /* 0: not checked */
	bool unterminated;
} want;

static const char *kind_name(retort_sql_kind k)
{
	static const char *const names[] = { "?", "SPACE", "COMMENT", "WORD", "QUOTED", "STRING",
		"NUMBER", "PARAM", "OP", "ERROR" };
	return (unsigned)k < RETORT_ARRAY_SIZE(names) ? names[k] : "?";
}

/* A token is never empty: "" stands for the one-byte token "\0". */
static size_t want_len(const want *w)
{
	return w->text[0] ? strlen(w->text) : 1;
}

/*
 * Lex exactly `len` bytes of `sql` from a buffer of that size (so the
 * sanitizers catch a read past it) and compare the tokens that are not
 * whitespace with `w`.
 */
static void expect_len(retort_dialect_id d, const char *sql, size_t len, const want *w, size_t nw)
{
	char *exact = retort__malloc(len ? len : 1);
	retort_sql_token *t;
	size_t n, at = 0, k = 0;

	memcpy(exact, sql, len);
	retort_sql_lex(&t, &n, d, exact, len);
	for (size_t i = 0; i < n; i++) {
		ck_assert_msg(t[i].offset == at && t[i].len > 0, "[%s] %s: token %zu at %zu+%zu, want at %zu",
			d == S ? "sqlite" : "pg", sql, i, t[i].offset, t[i].len, at);
		at += t[i].len;
		if (t[i].kind == RETORT_SQL_SPACE)
			continue;
		ck_assert_msg(k < nw, "[%s] %s: extra token %s '%.*s'", d == S ? "sqlite" : "pg", sql,
			kind_name(t[i].kind), (int)t[i].len, exact + t[i].offset);
		ck_assert_msg(t[i].kind == w[k].kind && t[i].len == want_len(&w[k]) &&
			memcmp(exact + t[i].offset, w[k].text, t[i].len) == 0 &&
			t[i].unterminated == w[k].unterminated,
			"[%s] %s: token %zu is %s%s '%.*s', want %s%s '%s'", d == S ? "sqlite" : "pg", sql, k,
			kind_name(t[i].kind), t[i].unterminated ? "(unterminated)" : "", (int)t[i].len,
			exact + t[i].offset, kind_name(w[k].kind), w[k].unterminated ? "(unterminated)" : "",
			w[k].text);
		ck_assert_msg(!w[k].line || t[i].line == w[k].line, "[%s] %s: '%s' on line %u, want %u",
			d == S ? "sqlite" : "pg", sql, w[k].text, t[i].line, w[k].line);
		k++;
	}
	ck_assert_msg(k == nw, "[%s] %s: %zu tokens, want %zu", d == S ? "sqlite" : "pg", sql, k, nw);
	ck_assert_msg(at == len, "[%s] %s: tokens cover %zu of %zu bytes", d == S ? "sqlite" : "pg", sql, at, len);
	free(t);
	free(exact);
}

#define EXPECT(d, sql, ...) do { \
		static const want w_[] = { __VA_ARGS__ }; \
		expect_len(d, sql, strlen(sql), w_, RETORT_ARRAY_SIZE(w_)); \
	} while (0)

#define W(t) { RETORT_SQL_WORD, t, 0, false }
#define Q(t) { RETORT_SQL_QUOTED, t, 0, false }
#define STR(t) { RETORT_SQL_STRING, t, 0, false }
#define NUM(t) { RETORT_SQL_NUMBER, t, 0, false }
#define PAR(t) { RETORT_SQL_PARAM, t, 0, false }
#define OP(t) { RETORT_SQL_OP, t, 0, false }
#define C(t) { RETORT_SQL_COMMENT, t, 0, false }
#define ERR(t) { RETORT_SQL_ERROR, t, 0, false }
#define OPEN(k, t) { RETORT_SQL_##k, t, 0, true }
#define AT(k, t, l) { RETORT_SQL_##k, t, l, false }

START_TEST(test_sql_lex__sqlite_quotes)
{
	/* a ';' inside every quoting form stays inside its token */
	EXPECT(S, "SELECT \"a;\"\"b\", [x;\"y], `c;``d`, 'it''s;', x'0aFF', X'abc', x'', x'g;'",
		W("SELECT"), Q("\"a;\"\"b\""), OP(","), Q("[x;\"y]"), OP(","), Q("`c;``d`"), OP(","),
		STR("'it''s;'"), OP(","), STR("x'0aFF'"), OP(","), ERR("X'abc'"), OP(","), STR("x''"),
		OP(","), ERR("x'g;'"));
	/* SQLite has no E'' strings: a backslash is an ordinary character */
	EXPECT(S, "'a\\' e'b'", STR("'a\\'"), W("e"), STR("'b'"));
	EXPECT(S, "'abc", OPEN(STRING, "'abc"));
	EXPECT(S, "\"abc;", OPEN(QUOTED, "\"abc;"));
	EXPECT(S, "[abc;", OPEN(QUOTED, "[abc;"));
	EXPECT(S, "`abc", OPEN(QUOTED, "`abc"));
	EXPECT(S, "x'ab", OPEN(ERROR, "x'ab"));
}
END_TEST

START_TEST(test_sql_lex__sqlite_comments)
{
	EXPECT(S, "-- a ; b\nx /* c ; */ y /* d ;",
		AT(COMMENT, "-- a ; b", 1), AT(WORD, "x", 2), C("/* c ; */"), W("y"), OPEN(COMMENT, "/* d ;"));
	/* block comments do not nest */
	EXPECT(S, "/* a /* b */ c */", C("/* a /* b */"), W("c"), OP("*"), OP("/"));
	EXPECT(S, "/**/x/*/ y */", C("/**/"), W("x"), C("/*/ y */"));
	/* a comment opener with nothing after it is a slash and a star to SQLite */
	EXPECT(S, "a /*", W("a"), OP("/"), OP("*"));
	EXPECT(S, "--", C("--"));
	EXPECT(S, "a-- b", W("a"), C("-- b"));
}
END_TEST

START_TEST(test_sql_lex__sqlite_numbers_params_ops)
{
	EXPECT(S, "1 1.5 .5 1. 1e10 1.5E-3 0x1F 0X1fg 0x 12abc 1e 1e+ 7.",
		NUM("1"), NUM("1.5"), NUM(".5"), NUM("1."), NUM("1e10"), NUM("1.5E-3"), NUM("0x1F"),
		NUM("0X1f"), W("g"), ERR("0x"), ERR("12abc"), ERR("1e"), ERR("1e"), OP("+"), NUM("7."));
	EXPECT(S, "? ?12 :name @x #y $z $a::b::c $t(x;y) $t(x y) : $ @",
		PAR("?"), PAR("?12"), PAR(":name"), PAR("@x"), PAR("#y"), PAR("$z"), PAR("$a::b::c"),
		PAR("$t(x;y)"), ERR("$t(x"), W("y"), OP(")"), ERR(":"), ERR("$"), ERR("@"));
	EXPECT(S, "a->>'x'||b->c<>d!=e==f<=g>=h<<i>>j!k~l&m|n%o.p,q;(r)",
		W("a"), OP("->>"), STR("'x'"), OP("||"), W("b"), OP("->"), W("c"), OP("<>"), W("d"),
		OP("!="), W("e"), OP("=="), W("f"), OP("<="), W("g"), OP(">="), W("h"), OP("<<"), W("i"),
		OP(">>"), W("j"), ERR("!"), W("k"), OP("~"), W("l"), OP("&"), W("m"), OP("|"), W("n"),
		OP("%"), W("o"), OP("."), W("p"), OP(","), W("q"), OP(";"), OP("("), W("r"), OP(")"));
}
END_TEST

START_TEST(test_sql_lex__sqlite_words_lines_junk)
{
	EXPECT(S, "caf\xc3\xa9 a$b _x \xc3\xa9t\xc3\xa9 $ok",
		W("caf\xc3\xa9"), W("a$b"), W("_x"), W("\xc3\xa9t\xc3\xa9"), PAR("$ok"));
	/* CRLF ends one line; \v and \f are whitespace */
	EXPECT(S, "a\r\nb\v\f\r\n'c\r\nd'\r\ne",
		AT(WORD, "a", 1), AT(WORD, "b", 2), AT(STRING, "'c\r\nd'", 3), AT(WORD, "e", 5));
	/* bytes SQLite has no use for are one error token each, and lexing goes on */
	EXPECT(S, "\x01\x7f\\{}^a", ERR("\x01"), ERR("\x7f"), ERR("\\"), ERR("{"), ERR("}"), ERR("^"), W("a"));
	{
		/* exactly `len` bytes, a NUL among them; nothing past them is read */
		static const want w[] = { W("ab"), ERR("\0"), OPEN(STRING, "'c") };
		expect_len(S, "ab\0'cde", 5, w, RETORT_ARRAY_SIZE(w));
	}
	{
		static const want w[] = { OPEN(COMMENT, "/* a") };
		expect_len(S, "/* a */", 4, w, RETORT_ARRAY_SIZE(w));
	}
	expect_len(S, "", 0, NULL, 0);
}
END_TEST

START_TEST(test_sql_lex__pg_strings)
{
	EXPECT(P, "SELECT $tag$ a;'b $$ $t $tag$, $$x;$$, $a$$b$$a$",
		W("SELECT"), STR("$tag$ a;'b $$ $t $tag$"), OP(","), STR("$$x;$$"), OP(","), STR("$a$$b$$a$"));
	/* E'' strings take backslash escapes; plain ones do not */
	EXPECT(P, "E'a\\';b', e'\\\\', 'c\\', 'it''s'",
		STR("E'a\\';b'"), OP(","), STR("e'\\\\'"), OP(","), STR("'c\\'"), OP(","), STR("'it''s'"));
	EXPECT(P, "U&\"d\\0061t;a\", U&'\\0041;' UESCAPE '!', B'101', X'ff', N'x'",
		Q("U&\"d\\0061t;a\""), OP(","), STR("U&'\\0041;'"), W("UESCAPE"), STR("'!'"), OP(","),
		STR("B'101'"), OP(","), STR("X'ff'"), OP(","), W("N"), STR("'x'"));
	EXPECT(P, "\"a\"\"b;\" caf\xc3\xa9 a$b \"SELECT\"",
		Q("\"a\"\"b;\""), W("caf\xc3\xa9"), W("a$b"), Q("\"SELECT\""));
	/* a quote left open runs to the end of the text */
	EXPECT(P, "SELECT 'abc; x", W("SELECT"), OPEN(STRING, "'abc; x"));
	EXPECT(P, "SELECT $a$ ; x", W("SELECT"), OPEN(STRING, "$a$ ; x"));
	EXPECT(P, "SELECT \"ab; x", W("SELECT"), OPEN(QUOTED, "\"ab; x"));
	EXPECT(P, "SELECT E'a\\'; x", W("SELECT"), OPEN(STRING, "E'a\\'; x"));
}
END_TEST

START_TEST(test_sql_lex__pg_comments_numbers_ops)
{
	/* PostgreSQL's block comments nest */
	EXPECT(P, "/* a /* b; */ c; */ x -- y;\n/* open /* */",
		C("/* a /* b; */ c; */"), W("x"), C("-- y;"), OPEN(COMMENT, "/* open /* */"));
	EXPECT(P, "1 1.5 .5 1e10 1.5E-3 1..2",
		NUM("1"), NUM("1.5"), NUM(".5"), NUM("1e10"), NUM("1.5E-3"), NUM("1"), OP(".."), NUM("2"));
	EXPECT(P, "$1 + $23::int, a.b, x->>'y', a <= b, c != d, :x, ? !",
		PAR("$1"), OP("+"), PAR("$23"), OP("::"), W("int"), OP(","), W("a"), OP("."), W("b"), OP(","),
		W("x"), OP("->>"), STR("'y'"), OP(","), W("a"), OP("<="), W("b"), OP(","), W("c"), OP("!="),
		W("d"), OP(","), OP(":"), W("x"), OP(","), OP("?"), OP("!"));
}
END_TEST

START_TEST(test_sql_lex__pg_errors_and_lines)
{
	/* PostgreSQL 15's scanner rejects junk glued to a number or parameter; lexing goes on after it */
	EXPECT(P, "SELECT 1abc, $1x; SELECT 2", W("SELECT"), ERR("1abc"), OP(","), ERR("$1x"), OP(";"),
		W("SELECT"), NUM("2"));
	EXPECT(P, "a\r\nb\r\n/* c\r\nd */ e\r\n'f'",
		AT(WORD, "a", 1), AT(WORD, "b", 2), AT(COMMENT, "/* c\r\nd */", 3), AT(WORD, "e", 4), AT(STRING, "'f'", 5));
	{
		/* a NUL ends no text here: the scanner sees the part before it, then lexing goes on */
		static const want w[] = { W("ab"), ERR("\0"), W("cd") };
		expect_len(P, "ab\0cd", 5, w, RETORT_ARRAY_SIZE(w));
	}
	{
		/* exactly `len` bytes: the quote that closes later is not seen */
		static const want w[] = { W("x"), OPEN(STRING, "'ab") };
		expect_len(P, "x 'ab'", 5, w, RETORT_ARRAY_SIZE(w));
	}
	expect_len(P, "", 0, NULL, 0);
}
END_TEST

/* Binary junk: every byte is in one token, whatever the bytes. */
START_TEST(test_sql_lex__junk_is_covered)
{
	unsigned char junk[512];
	unsigned seed = 12345;

	for (int round = 0; round < 20; round++) {
		for (size_t i = 0; i < sizeof(junk); i++) {
			seed = seed * 1103515245u + 12345u;
			junk[i] = (unsigned char)(1 + (seed >> 16) % 255); /* NUL-free */
		}
		for (int d = S; d <= P; d++) {
			retort_sql_token *t;
			size_t n, at = 0;
			unsigned line = 1;
			retort_sql_lex(&t, &n, (retort_dialect_id)d, (const char *)junk, sizeof(junk));
			for (size_t i = 0; i < n; i++) {
				ck_assert_msg(t[i].offset == at && t[i].len > 0 && t[i].line == line,
					"round %d dialect %d: token %zu at %zu (want %zu), line %u (want %u)",
					round, d, i, t[i].offset, at, t[i].line, line);
				line += retort_sql_newlines((const char *)junk + at, t[i].len);
				at += t[i].len;
			}
			ck_assert_uint_eq(at, sizeof(junk));
			free(t);
		}
	}
}
END_TEST

START_TEST(test_sql_lex__skip_blank)
{
	unsigned line = 1;
	const char *sql = "-- a\n/* b\n */ \r\n SELECT 1";

	ck_assert_uint_eq(retort_sql_skip_blank(S, sql, strlen(sql), &line), strlen(sql) - 8);
	ck_assert_uint_eq(line, 4);
	line = 1;
	/* nested for PostgreSQL, not for SQLite */
	sql = "/* a /* b */ c */ d";
	ck_assert_uint_eq(retort_sql_skip_blank(P, sql, strlen(sql), &line), strlen(sql) - 1);
	ck_assert_uint_eq(retort_sql_skip_blank(S, sql, strlen(sql), NULL), 13);
	ck_assert_uint_eq(retort_sql_skip_blank(S, "  -- only\n", 10, NULL), 10);
	ck_assert_uint_eq(retort_sql_skip_blank(P, "", 0, NULL), 0);
}
END_TEST

RETORT_SUITE(sql_lex)

Suite *suite_sql_lex(void)
{
	Suite *s = suite_create("sql_lex");
	TCase *lite = tcase_create("sqlite");
	TCase *pg = tcase_create("postgres");
	TCase *both = tcase_create("both");

	tcase_add_test(lite, test_sql_lex__sqlite_quotes);
	tcase_add_test(lite, test_sql_lex__sqlite_comments);
	tcase_add_test(lite, test_sql_lex__sqlite_numbers_params_ops);
	tcase_add_test(lite, test_sql_lex__sqlite_words_lines_junk);
	tcase_add_test(pg, test_sql_lex__pg_strings);
	tcase_add_test(pg, test_sql_lex__pg_comments_numbers_ops);
	tcase_add_test(pg, test_sql_lex__pg_errors_and_lines);
	tcase_add_test(both, test_sql_lex__junk_is_covered);
	tcase_add_test(both, test_sql_lex__skip_blank);
	suite_add_tcase(s, lite);
	suite_add_tcase(s, pg);
	suite_add_tcase(s, both);
	return s;
}
