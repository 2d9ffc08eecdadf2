/*
 * gitsource.c - revision scripts at a git commit (see gitsource.h).
 */
#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/common.h"
#include "git/gitsource.h"
#include "graph/script.h"

struct retort_gitsource {
	git_repository *repo;
	char *workdir;       /* absolute, with a trailing slash */
	git_commit *base;
	char *base_name;
	char base_id[GIT_OID_HEXSZ + 1];
};

static int git_fail(const char *what)
{
	const git_error *e = git_error_last();

	return retort__error_set(RETORT_ERROR_GIT, "%s: %s", what, e && e->message ? e->message : "unknown git error");
}

int retort_gitsource_open(retort_gitsource **out, const retort_config *cfg)
{
	retort_gitsource *src;
	const char *wd;

	*out = NULL;
	git_libgit2_init();
	src = retort__calloc(1, sizeof(*src));
	if (git_repository_open_ext(&src->repo, cfg->script_location, 0, NULL) < 0) {
		retort_gitsource_free(src);
		return retort__error_set(RETORT_ERROR_CONFIG,
			"'%s' is not inside a git repository: lint compares revisions with git history",
			cfg->script_location);
	}
	if (!(wd = git_repository_workdir(src->repo))) {
		retort_gitsource_free(src);
		return retort__error_set(RETORT_ERROR_CONFIG, "the repository of '%s' is bare", cfg->script_location);
	}
	{
		char real[PATH_MAX];
		src->workdir = realpath(wd, real) ? retort__sprintf("%s/", real) : retort__strdup(wd);
	}
	*out = src;
	return 0;
}

void retort_gitsource_free(retort_gitsource *src)
{
	if (!src)
		return;
	git_commit_free(src->base);
	git_repository_free(src->repo);
	free(src->workdir);
	free(src->base_name);
	free(src);
	git_libgit2_shutdown();
}

static int lookup_commit(git_commit **out, git_repository *repo, const char *spec)
{
	git_object *obj = NULL, *peeled = NULL;
	int rc;

	if ((rc = git_revparse_single(&obj, repo, spec)) < 0)
		return rc;
	rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0)
		return rc;
	*out = (git_commit *)peeled;
	return 0;
}

/* The merge base of HEAD and `spec`, as a commit; <0 when either is missing. */
static int merge_base_with(git_commit **out, git_repository *repo, const char *spec)
{
	git_commit *head = NULL, *other = NULL;
	git_oid base;
	int rc;

	if ((rc = lookup_commit(&head, repo, "HEAD")) < 0)
		return rc;
	if ((rc = lookup_commit(&other, repo, spec)) < 0)
		goto done;
	if ((rc = git_merge_base(&base, repo, git_commit_id(head), git_commit_id(other))) < 0)
		goto done;
	rc = git_commit_lookup(out, repo, &base);
done:
	git_commit_free(head);
	git_commit_free(other);
	return rc;
}

int retort_gitsource_set_base(retort_gitsource *src, const char *ref)
{
	static const char *const fallbacks[] = { "@{upstream}", "main", "master", "origin/main", "origin/master" };

	git_commit_free(src->base);
	src->base = NULL;
	free(src->base_name);
	src->base_name = NULL;
	if (ref) {
		if (lookup_commit(&src->base, src->repo, ref) < 0) {
			const git_error *e = git_error_last();
			return retort__error_set(RETORT_ERROR_USAGE, "--base '%s' is not a commit: %s",
				ref, e && e->message ? e->message : "unknown revision");
		}
		src->base_name = retort__strdup(ref);
	} else {
		for (size_t i = 0; i < RETORT_ARRAY_SIZE(fallbacks); i++) {
			if (merge_base_with(&src->base, src->repo, fallbacks[i]) == 0) {
				src->base_name = retort__sprintf("merge base with %s", fallbacks[i]);
				break;
			}
		}
		if (!src->base)
			return retort__error_set(RETORT_ERROR_USAGE,
				"no base to compare with: no upstream branch, main or master (pass --base REF)");
	}
	git_oid_tostr(src->base_id, sizeof(src->base_id), git_commit_id(src->base));
	return 0;
}

const char *retort_gitsource_base_name(const retort_gitsource *src)
{
	return src->base_name;
}

const char *retort_gitsource_base_id(const retort_gitsource *src)
{
	return src->base_id;
}

const char *retort_gitsource_workdir(const retort_gitsource *src)
{
	return src->workdir;
}

/* Where read_tree's scripts come from: a label for their paths, blobs already read. */
typedef struct origin {
	const char *label;    /* "<commit12>" or a branch name */
	retort_map *seen;     /* blob ids already parsed (skipped), or NULL */
} origin;

static int read_tree(retort_vec *out, retort_gitsource *src, git_tree *tree, const char *prefix,
	bool recursive, const origin *from)
{
	size_t n = git_tree_entrycount(tree);
	int error = 0;

	for (size_t i = 0; i < n && !error; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(e);
		char *path = retort__sprintf("%s/%s", prefix, name);

		if (git_tree_entry_type(e) == GIT_OBJECT_TREE && recursive && name[0] != '.' &&
				strcmp(name, "__pycache__") != 0) {
			git_tree *sub = NULL;
			if (git_tree_lookup(&sub, src->repo, git_tree_entry_id(e)) < 0)
				error = git_fail(path);
			else
				error = read_tree(out, src, sub, path, recursive, from);
			git_tree_free(sub);
		} else if (git_tree_entry_type(e) == GIT_OBJECT_BLOB && retort_script_is_revision_file(name)) {
			git_blob *blob = NULL;
			retort_script *script = NULL;
			char *label = retort__sprintf("%s:%s", from->label, path), oid[GIT_OID_HEXSZ + 1];
			git_oid_tostr(oid, sizeof(oid), git_tree_entry_id(e));
			if (from->seen && retort_map_has(from->seen, oid)) {
				free(label);
				free(path);
				continue;
			}
			if (from->seen)
				retort_map_set(from->seen, oid, (void *)1);
			if (git_blob_lookup(&blob, src->repo, git_tree_entry_id(e)) < 0) {
				error = git_fail(path);
			} else {
				error = retort_script_parse(&script, label, git_blob_rawcontent(blob),
					(size_t)git_blob_rawsize(blob));
				if (!error)
					retort_vec_push(out, script);
			}
			git_blob_free(blob);
			free(label);
		}
		free(path);
	}
	return error;
}

/* A version location as a path inside the repository; NULL when outside it. */
static char *repo_relative(const retort_gitsource *src, const char *location)
{
	char real[PATH_MAX];
	size_t n = strlen(src->workdir);

	if (!realpath(location, real)) {
		/* Not in the working tree any more; it may still exist at the base. */
		if (strlen(location) + 1 >= sizeof(real))
			return NULL;
		strcpy(real, location);
	}
	strcat(real, "/");
	if (strncmp(real, src->workdir, n) != 0)
		return NULL;
	real[strlen(real) - 1] = '\0';
	return retort__strdup(real + n);
}

/* The scripts of every version location at `commit`. */
static int scripts_at(retort_vec *out, retort_gitsource *src, const retort_config *cfg,
	const git_commit *commit, const origin *from)
{
	git_tree *root = NULL;
	int error = 0;

	if (git_commit_tree(&root, commit) < 0)
		return git_fail("cannot read a commit's tree");
	for (size_t i = 0; i < cfg->version_locations.len && !error; i++) {
		const char *location = cfg->version_locations.items[i];
		char *rel = repo_relative(src, location);
		git_tree_entry *entry = NULL;
		git_tree *tree = NULL;

		if (!rel) {
			error = retort__error_set(RETORT_ERROR_GIT,
				"version location '%s' is outside the repository at '%s'", location, src->workdir);
		} else if (!*rel) {
			error = read_tree(out, src, root, "", cfg->recursive_version_locations, from);
		} else if (git_tree_entry_bypath(&entry, root, rel) == 0 &&
				git_tree_entry_type(entry) == GIT_OBJECT_TREE) {
			if (git_tree_lookup(&tree, src->repo, git_tree_entry_id(entry)) < 0)
				error = git_fail(rel);
			else
				error = read_tree(out, src, tree, rel, cfg->recursive_version_locations, from);
		}
		git_tree_free(tree);
		git_tree_entry_free(entry);
		free(rel);
	}
	git_tree_free(root);
	return error;
}

int retort_gitsource_scripts(retort_vec *out, retort_gitsource *src, const retort_config *cfg)
{
	char label[13];
	origin from = { label, NULL };

	snprintf(label, sizeof(label), "%.12s", src->base_id);
	return scripts_at(out, src, cfg, src->base, &from);
}

int retort_gitsource_fork_scripts(retort_vec *out, bool *forked, retort_gitsource *src,
	const retort_config *cfg)
{
	git_commit *head = NULL, *fork = NULL;
	git_oid oid;
	char label[13];
	origin from = { label, NULL };
	int error = 0;

	*forked = false;
	/* no HEAD yet, or no common history: nothing to tell apart */
	if (lookup_commit(&head, src->repo, "HEAD") < 0 ||
			git_merge_base(&oid, src->repo, git_commit_id(head), git_commit_id(src->base)) < 0)
		goto done;
	if (git_oid_equal(&oid, git_commit_id(src->base)))
		goto done; /* HEAD has the base: nothing on it is newer than this branch */
	if (git_commit_lookup(&fork, src->repo, &oid) < 0) {
		error = git_fail("cannot read the fork point");
		goto done;
	}
	*forked = true;
	git_oid_tostr(label, sizeof(label), &oid);
	error = scripts_at(out, src, cfg, fork, &from);
done:
	git_commit_free(head);
	git_commit_free(fork);
	return error;
}

void retort_gitsource_branch_scripts_free(retort_vec *v)
{
	for (size_t i = 0; i < v->len; i++) {
		retort_branch_script *b = v->items[i];
		free(b->branch);
		retort_script_free(b->script);
		free(b);
	}
	retort_vec_dispose(v, false);
}

/* The branch's scripts, those of blobs not read before, appended as retort_branch_script. */
static int branch_scripts(retort_vec *out, retort_gitsource *src, const retort_config *cfg,
	git_reference *ref, const char *name, retort_map *seen)
{
	git_object *commit = NULL;
	retort_vec scripts = RETORT_VEC_INIT;
	origin from = { name, seen };
	int error;

	if (git_reference_peel(&commit, ref, GIT_OBJECT_COMMIT) < 0)
		return 0; /* a branch that is no commit has no history to judge */
	error = scripts_at(&scripts, src, cfg, (git_commit *)commit, &from);
	for (size_t i = 0; i < scripts.len; i++) {
		retort_branch_script *b = retort__calloc(1, sizeof(*b));
		b->branch = retort__strdup(name);
		b->script = scripts.items[i];
		retort_vec_push(out, b);
	}
	retort_vec_dispose(&scripts, false);
	git_object_free(commit);
	return error;
}

int retort_gitsource_branch_scripts(retort_vec *out, retort_gitsource *src, const retort_config *cfg)
{
	git_branch_iterator *it = NULL;
	git_reference *ref = NULL;
	git_branch_t type;
	retort_map seen = RETORT_MAP_INIT;
	int error = 0, rc;

	if (git_branch_iterator_new(&it, src->repo, GIT_BRANCH_ALL) < 0)
		return git_fail("cannot list branches");
	while (!error && (rc = git_branch_next(&ref, &type, it)) == 0) {
		const char *name = NULL;
		/* the branch checked out is the working tree's; origin/HEAD only points elsewhere */
		if (git_branch_name(&name, ref) == 0 && git_branch_is_head(ref) != 1 &&
				git_reference_type(ref) == GIT_REFERENCE_DIRECT &&
				!retort__ends_with(name, "/HEAD"))
			error = branch_scripts(out, src, cfg, ref, name, &seen);
		git_reference_free(ref);
		ref = NULL;
	}
	if (!error && rc != GIT_ITEROVER)
		error = git_fail("cannot list branches");
	git_branch_iterator_free(it);
	retort_map_dispose(&seen, false);
	return error;
}

/*
 * Is `path` inside a git work tree or repository?  A walk up looking for
 * ".git" costs a few stat() calls; initializing libgit2 costs milliseconds
 * (it parses the system's CA certificates), which is worth paying only when
 * there is a repository to open.
 */
static bool maybe_in_git(const char *path)
{
	char *dir = retort__strdup(path);
	bool found = false;

	for (;;) {
		char *dotgit = retort__path_join(dir, ".git"), *parent;
		found = retort__path_exists(dotgit) || retort__ends_with(dir, ".git");
		free(dotgit);
		if (found)
			break;
		parent = retort__path_dirname(dir);
		if (strcmp(parent, dir) == 0 || strcmp(parent, ".") == 0) {
			free(parent);
			break;
		}
		free(dir);
		dir = parent;
	}
	free(dir);
	return found;
}

char *retort__git_head_commit(const char *path)
{
	git_repository *repo = NULL;
	git_oid oid;
	char hex[GIT_OID_HEXSZ + 1];
	char *result = NULL;

	if (!maybe_in_git(path))
		return NULL;
	git_libgit2_init();
	if (git_repository_open_ext(&repo, path, 0, NULL) < 0)
		goto done;
	if (git_reference_name_to_id(&oid, repo, "HEAD") < 0)
		goto done;
	git_oid_tostr(hex, sizeof(hex), &oid);
	result = retort__strdup(hex);
done:
	git_repository_free(repo);
	git_libgit2_shutdown();
	return result;
}
