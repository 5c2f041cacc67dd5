/*
 * Tests every function of childsafe.h against the installed library: results, every error path,
 * ownership (run under valgrind and AddressSanitizer by scripts/tests.d/capi.sh) and the hook.
 *
 * Every message that mentions grooming carries a marker token: no verdict, JSON output or hook
 * record may ever contain it (the library never echoes text).
 *
 * Usage: test_api [RULES_DIR]   With RULES_DIR (the repository's Rules/), also opens engines
 *        from that directory and with its family.policy, which must succeed and classify like the
 *        embedded defaults.
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen, unlink */
#include <childsafe.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    checks++;                                                                                      \
    if (!(cond)) {                                                                                 \
      failures++;                                                                                  \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                     \
    }                                                                                              \
  } while (0)

#define CHECK_STATUS(expr, expected)                                                               \
  do {                                                                                             \
    int got_ = (expr);                                                                             \
    checks++;                                                                                      \
    if (got_ != (expected)) {                                                                      \
      failures++;                                                                                  \
      fprintf(stderr, "%s:%d: %s returned %d (%s), expected %d (%s)\n", __FILE__, __LINE__, #expr, \
              got_, cs_status_str(got_), (int)(expected), cs_status_str(expected));                \
    }                                                                                              \
  } while (0)

/* A pointer value no library call should ever leave behind. */
#define SENTINEL ((void *)(uintptr_t)0x1)

static int contains(const char *haystack, const char *needle) {
  return haystack != NULL && strstr(haystack, needle) != NULL;
}

static int starts_with(const char *s, const char *prefix) {
  return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ---------------------------------------------------------------------------------------------- */

static void test_library(void) {
  int s;
  CHECK(strcmp(cs_version(), CS_VERSION_STRING) == 0);
  CHECK(cs_version_number() == CS_VERSION_NUMBER);
  for (s = CS_OK; s <= CS_ERR_INTERNAL; s++) {
    CHECK(cs_status_str(s) != NULL && cs_status_str(s)[0] != '\0');
    CHECK(strcmp(cs_status_str(s), "unknown status") != 0);
  }
  CHECK(strcmp(cs_status_str(CS_OK), "ok") == 0);
  CHECK(strcmp(cs_status_str(-1), "unknown status") == 0);
  CHECK(strcmp(cs_status_str(9999), "unknown status") == 0);
  cs_free(NULL);

  {
    cs_context ctx;
    cs_context fromMacro = CS_CONTEXT_INIT;
    memset(&ctx, 0x5a, sizeof ctx);
    cs_context_init(&ctx);
    CHECK(ctx.size == sizeof(cs_context));
    CHECK(ctx.sender_age == -1 && ctx.recipient_age == -1);
    CHECK(ctx.lang == NULL && ctx.conversation_id == NULL && ctx.sender_id == NULL);
    CHECK(ctx.has_timestamp == 0 && ctx.kind == CS_TEXT_CHAT);
    CHECK(ctx.on_intervention == NULL && ctx.on_intervention_ctx == NULL);
    CHECK(fromMacro.size == ctx.size && fromMacro.kind == ctx.kind && fromMacro.sender_age == -1);
    cs_context_init(NULL);
  }
  {
    cs_engine_options o;
    memset(&o, 0x5a, sizeof o);
    cs_engine_options_init(&o);
    CHECK(o.size == sizeof(cs_engine_options));
    CHECK(o.rules_path == NULL && o.url_lists == NULL && o.url_list_count == 0 && o.url_categories == NULL);
    CHECK(o.policy_path == NULL && o.child == NULL && o.locale == NULL && o.country == NULL && o.replace_defaults == 0);
    cs_engine_options_init(NULL);
  }
}

/* ---------------------------------------------------------------------------------------------- */

static void test_engine_open(void) {
  cs_engine *e = SENTINEL;
  char *err = SENTINEL;

  CHECK_STATUS(cs_engine_open(NULL, &e, &err), CS_OK);
  CHECK(e != NULL && e != SENTINEL);
  CHECK(err == NULL);
  cs_engine_close(e);

  e = SENTINEL;
  CHECK_STATUS(cs_engine_open(NULL, &e, NULL), CS_OK); /* errmsg is optional */
  cs_engine_close(e);

  err = SENTINEL;
  CHECK_STATUS(cs_engine_open(NULL, NULL, &err), CS_ERR_INVALID_ARGUMENT);
  CHECK(err != NULL && err != SENTINEL && err[0] != '\0');
  cs_free(err);

  e = SENTINEL;
  err = NULL;
  CHECK_STATUS(cs_engine_open("/nonexistent/childsafe-rules", &e, &err), CS_ERR_IO);
  CHECK(e == NULL);
  CHECK(contains(err, "/nonexistent/childsafe-rules"));
  cs_free(err);
  CHECK_STATUS(cs_engine_open("/nonexistent/childsafe-rules", &e, NULL), CS_ERR_IO);

  {
    char bad[] = {'/', 't', 'm', 'p', '/', (char)0xff, (char)0xfe, 0};
    e = SENTINEL;
    CHECK_STATUS(cs_engine_open(bad, &e, NULL), CS_ERR_INVALID_UTF8);
    CHECK(e == NULL);
  }

  cs_engine_close(NULL);
}

static void test_engine_open_ex(void) {
  cs_engine_options o;
  cs_engine *e = SENTINEL;
  char *err = NULL;
  const char *lists[] = {"/nonexistent/list.txt"};

  cs_engine_options_init(&o);
  CHECK_STATUS(cs_engine_open_ex(&o, &e, &err), CS_OK);
  CHECK(e != NULL && e != SENTINEL && err == NULL);
  cs_engine_close(e);

  CHECK_STATUS(cs_engine_open_ex(NULL, &e, &err), CS_ERR_INVALID_ARGUMENT);
  CHECK(e == NULL && err != NULL);
  cs_free(err);
  CHECK_STATUS(cs_engine_open_ex(&o, NULL, NULL), CS_ERR_INVALID_ARGUMENT);

  o.size = 0; /* not initialised */
  CHECK_STATUS(cs_engine_open_ex(&o, &e, NULL), CS_ERR_INVALID_ARGUMENT);
  cs_engine_options_init(&o);

  o.url_list_count = 1; /* but no array */
  CHECK_STATUS(cs_engine_open_ex(&o, &e, NULL), CS_ERR_INVALID_ARGUMENT);
  CHECK(e == NULL);
  o.url_lists = lists;
  o.url_list_count = (size_t)-1; /* a count that must not be trusted */
  CHECK_STATUS(cs_engine_open_ex(&o, &e, NULL), CS_ERR_TOO_LARGE);
  o.url_list_count = 4097;
  CHECK_STATUS(cs_engine_open_ex(&o, &e, NULL), CS_ERR_TOO_LARGE);
  CHECK(e == NULL);

  /* A list that cannot be read fails the whole engine, naming the file. */
  o.url_lists = lists;
  o.url_list_count = 1;
  err = NULL;
  CHECK_STATUS(cs_engine_open_ex(&o, &e, &err), CS_ERR_IO);
  CHECK(e == NULL && contains(err, "/nonexistent/list.txt"));
  cs_free(err);

  /* Options an engine never runs half-configured with. */
  cs_engine_options_init(&o);
  o.replace_defaults = 1; /* replace the embedded rules with... nothing */
  CHECK_STATUS(cs_engine_open_ex(&o, &e, &err), CS_ERR_INVALID_ARGUMENT);
  CHECK(e == NULL && contains(err, "rules_path"));
  cs_free(err);
  cs_engine_options_init(&o);
  o.child = "Maya"; /* a child needs the policy that names it */
  CHECK_STATUS(cs_engine_open_ex(&o, &e, &err), CS_ERR_INVALID_ARGUMENT);
  CHECK(e == NULL && contains(err, "policy_path"));
  cs_free(err);
  cs_engine_options_init(&o);
  o.policy_path = "/nonexistent/family.policy";
  CHECK_STATUS(cs_engine_open_ex(&o, &e, &err), CS_ERR_IO);
  CHECK(e == NULL && contains(err, "/nonexistent/family.policy"));
  cs_free(err);
  cs_engine_options_init(&o);
  o.locale = "not a locale!";
  CHECK_STATUS(cs_engine_open_ex(&o, &e, &err), CS_ERR_INVALID_VALUE);
  CHECK(e == NULL && contains(err, "locale"));
  cs_free(err);
  cs_engine_options_init(&o);
  o.country = "Britain";
  CHECK_STATUS(cs_engine_open_ex(&o, &e, &err), CS_ERR_INVALID_VALUE);
  CHECK(e == NULL && contains(err, "Britain"));
  cs_free(err);
  cs_engine_options_init(&o);
  o.locale = "fr\xff";
  CHECK_STATUS(cs_engine_open_ex(&o, &e, NULL), CS_ERR_INVALID_UTF8);
  CHECK(e == NULL);

  /* The size field: a caller built against the first published header (up to url_categories)
     gets the later members' defaults; a newer caller's larger struct is accepted while the
     members this library does not know are zero, and refused once one is set. */
  {
    struct {
      cs_engine_options known;
      void *newer_member;
    } bigger;
    cs_engine_options_init(&o);
    o.size = offsetof(cs_engine_options, url_categories) + sizeof(const char *);
    o.locale = "not a locale!"; /* beyond the declared size: never read */
    CHECK_STATUS(cs_engine_open_ex(&o, &e, NULL), CS_OK);
    cs_engine_close(e);
    o.size = offsetof(cs_engine_options, url_categories); /* smaller than any published layout */
    CHECK_STATUS(cs_engine_open_ex(&o, &e, NULL), CS_ERR_INVALID_ARGUMENT);
    memset(&bigger, 0, sizeof bigger);
    cs_engine_options_init(&bigger.known);
    bigger.known.size = sizeof bigger;
    CHECK_STATUS(cs_engine_open_ex(&bigger.known, &e, NULL), CS_OK);
    cs_engine_close(e);
    bigger.newer_member = &bigger;
    err = NULL;
    CHECK_STATUS(cs_engine_open_ex(&bigger.known, &e, &err), CS_ERR_INVALID_ARGUMENT);
    CHECK(e == NULL && contains(err, "does not know"));
    cs_free(err);
    bigger.known.size = (size_t)1 << 40; /* not a struct size */
    CHECK_STATUS(cs_engine_open_ex(&bigger.known, &e, NULL), CS_ERR_INVALID_ARGUMENT);
  }
}

/* URL categories decide what a block list entry does; a name no list uses blocks nothing and is
   not an error (an age band may name a category this deployment has no list for). */
static void test_url_categories(void) {
  cs_engine_options o;
  cs_engine *e = NULL;
  cs_url_verdict *u = NULL;
  const char *adult = "http://adult-example.test/", *casino = "https://casino-example.test/x";

  cs_engine_options_init(&o);
  o.url_categories = "adult, gambling";
  CHECK_STATUS(cs_engine_open_ex(&o, &e, NULL), CS_OK);
  CHECK_STATUS(cs_url_check(e, adult, strlen(adult), &u), CS_OK);
  CHECK(u != NULL && u->blocked == 1 && u->category != NULL && strcmp(u->category, "adult") == 0 &&
        strcmp(u->reason, "blocklist") == 0);
  cs_free(u);
  CHECK_STATUS(cs_url_check(e, casino, strlen(casino), &u), CS_OK);
  CHECK(u != NULL && u->blocked == 1 && strcmp(u->category, "gambling") == 0);
  cs_free(u);
  cs_engine_close(e);

  o.url_categories = "gambling,no-such-category-anywhere";
  CHECK_STATUS(cs_engine_open_ex(&o, &e, NULL), CS_OK);
  CHECK_STATUS(cs_url_check(e, adult, strlen(adult), &u), CS_OK); /* adult is not enabled */
  CHECK(u != NULL && u->blocked == 0 && strcmp(u->reason, "not_listed") == 0);
  cs_free(u);
  CHECK_STATUS(cs_url_check(e, casino, strlen(casino), &u), CS_OK);
  CHECK(u != NULL && u->blocked == 1);
  cs_free(u);
  cs_engine_close(e);

  o.url_categories = "no-such-category-anywhere"; /* enables nothing listed */
  CHECK_STATUS(cs_engine_open_ex(&o, &e, NULL), CS_OK);
  CHECK_STATUS(cs_url_check(e, casino, strlen(casino), &u), CS_OK);
  CHECK(u != NULL && u->blocked == 0);
  cs_free(u);
  cs_engine_close(e);
}

/* ---------------------------------------------------------------------------------------------- */

static void check_verdict_shape(const cs_verdict *v, size_t len) {
  size_t i;
  CHECK(v != NULL);
  if (v == NULL) return;
  CHECK(v->flagged == 0 || v->flagged == 1);
  CHECK(v->risk >= CS_RISK_NONE && v->risk <= CS_RISK_CRITICAL);
  CHECK(v->score >= 0.0 && v->score <= 1.0);
  CHECK(v->category_count == 0 || v->categories != NULL);
  CHECK(v->match_count == 0 || v->matches != NULL);
  for (i = 0; i < v->category_count; i++) CHECK(v->categories[i] != NULL && v->categories[i][0] != '\0');
  for (i = 0; i < v->match_count; i++) {
    const cs_match *m = &v->matches[i];
    CHECK(m->rule != NULL && m->category != NULL);
    CHECK(m->start <= m->end && m->end <= len);
  }
  if (v->flagged) CHECK(v->risk > CS_RISK_NONE);
}

static void test_classify_json(const cs_engine *e) {
  const char *hello = "hey, how was school today?";
  char *json = SENTINEL;

  CHECK_STATUS(cs_classify_json(e, hello, strlen(hello), NULL, &json), CS_OK);
  CHECK(json != NULL && json != SENTINEL);
  CHECK(starts_with(json, "{\"flagged\":"));
  CHECK(contains(json, "\"risk\":") && contains(json, "\"score\":") && contains(json, "\"categories\":[") &&
        contains(json, "\"matches\":["));
  CHECK(!contains(json, "school")); /* the verdict never echoes the text */
  cs_free(json);

  {
    const char *ctx = "{\"id\":\"m1\",\"text\":\"ignored\",\"sender_age\":34,\"recipient_age\":12,\"lang\":\"en\","
                      "\"conversation\":\"c1\",\"from\":\"u7\",\"t\":12.5,\"context\":\"chat\"}";
    CHECK_STATUS(cs_classify_json(e, hello, strlen(hello), ctx, &json), CS_OK);
    cs_free(json);
    CHECK_STATUS(cs_classify_json(e, hello, strlen(hello), "{\"sender_age\":null,\"lang\":null}", &json), CS_OK);
    cs_free(json);
    CHECK_STATUS(cs_classify_json(e, "best 13th birthday ideas", 24, "{\"context\":\"query\"}", &json), CS_OK);
    CHECK(starts_with(json, "{\"flagged\":false") && !contains(json, "\"interventions\""));
    cs_free(json);
  }
  {
    /* A flagged message to a child: the CLI's line, with "interventions" for the sender, the child
       and the guardian, and never the text. An "id" in the context is echoed first, as the CLI does. */
    const char *text = "this is just between us ok zorblax, dont tell ur mom";
    CHECK_STATUS(cs_classify_json(e, text, strlen(text), "{\"sender_age\":31,\"recipient_age\":12}", &json), CS_OK);
    CHECK(starts_with(json, "{\"flagged\":true,"));
    CHECK(contains(json, "\"categories\":[\"secrecy\"]"));
    CHECK(contains(json, "\"interventions\":[{\"audience\":\"sender\",\"kind\":\"deterrence\""));
    CHECK(contains(json, "{\"audience\":\"recipient\",\"kind\":\"safety_prompt\""));
    CHECK(contains(json, "{\"audience\":\"guardian\",\"kind\":\"guardian_notice\""));
    CHECK(!contains(json, "zorblax") && !contains(json, "between us"));
    cs_free(json);
    CHECK_STATUS(cs_classify_json(e, text, strlen(text), "{\"id\":\"m-7\",\"recipient_age\":12}", &json), CS_OK);
    CHECK(starts_with(json, "{\"id\":\"m-7\",\"flagged\":true,"));
    cs_free(json);
    /* Between adults nothing is shown to anyone. */
    CHECK_STATUS(cs_classify_json(e, text, strlen(text), "{\"sender_age\":31,\"recipient_age\":30}", &json), CS_OK);
    CHECK(!contains(json, "\"interventions\""));
    cs_free(json);
  }

  /* Bad context JSON */
  json = SENTINEL;
  CHECK_STATUS(cs_classify_json(e, hello, strlen(hello), "not json", &json), CS_ERR_SYNTAX);
  CHECK(json == NULL);
  CHECK_STATUS(cs_classify_json(e, hello, strlen(hello), "{\"sender_age\": 12", &json), CS_ERR_SYNTAX);
  CHECK_STATUS(cs_classify_json(e, hello, strlen(hello), "[1,2]", &json), CS_ERR_SYNTAX);
  CHECK_STATUS(cs_classify_json(e, hello, strlen(hello), "", &json), CS_ERR_SYNTAX);
  CHECK_STATUS(cs_classify_json(e, hello, strlen(hello), "{\"sender_age\":\"x\"}", &json), CS_ERR_INVALID_VALUE);
  CHECK_STATUS(cs_classify_json(e, hello, strlen(hello), "{\"sender_age\":12.5}", &json), CS_ERR_INVALID_VALUE);
  CHECK_STATUS(cs_classify_json(e, hello, strlen(hello), "{\"recipient_age\":200}", &json), CS_ERR_INVALID_VALUE);
  CHECK_STATUS(cs_classify_json(e, hello, strlen(hello), "{\"lang\":5}", &json), CS_ERR_INVALID_VALUE);
  CHECK_STATUS(cs_classify_json(e, hello, strlen(hello), "{\"t\":\"noon\"}", &json), CS_ERR_INVALID_VALUE);
  CHECK_STATUS(cs_classify_json(e, hello, strlen(hello), "{\"context\":\"email\"}", &json), CS_ERR_INVALID_VALUE);
  CHECK(json == NULL);
  {
    char longid[CS_MAX_ID_BYTES + 40];
    memset(longid, 'x', sizeof longid);
    memcpy(longid, "{\"from\":\"", 9);
    memcpy(longid + sizeof longid - 3, "\"}", 3);
    CHECK_STATUS(cs_classify_json(e, hello, strlen(hello), longid, &json), CS_ERR_TOO_LARGE);
  }
  {
    char badjson[] = {'{', '"', 'l', 'a', 'n', 'g', '"', ':', '"', (char)0xc3, '"', '}', 0};
    int s = cs_classify_json(e, hello, strlen(hello), badjson, &json);
    CHECK(s == CS_ERR_INVALID_UTF8 || s == CS_ERR_SYNTAX);
    CHECK(json == NULL);
  }
  {
    size_t n = CS_MAX_JSON_BYTES + 10;
    char *big = malloc(n + 1);
    memset(big, ' ', n);
    big[0] = '{';
    big[n - 1] = '}';
    big[n] = 0;
    CHECK_STATUS(cs_classify_json(e, hello, strlen(hello), big, &json), CS_ERR_TOO_LARGE);
    free(big);
  }

  /* NULL pointers */
  CHECK_STATUS(cs_classify_json(NULL, hello, strlen(hello), NULL, &json), CS_ERR_INVALID_ARGUMENT);
  CHECK(json == NULL);
  CHECK_STATUS(cs_classify_json(e, hello, strlen(hello), NULL, NULL), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_classify_json(e, NULL, 5, NULL, &json), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_classify_json(e, NULL, 0, NULL, &json), CS_OK); /* the empty text */
  cs_free(json);
  CHECK_STATUS(cs_classify_json(e, "", 0, NULL, &json), CS_OK);
  cs_free(json);

  /* Invalid UTF-8: stray byte, overlong encoding, surrogate, truncated sequence */
  json = SENTINEL;
  CHECK_STATUS(cs_classify_json(e, "ok \xff\xfe", 5, NULL, &json), CS_ERR_INVALID_UTF8);
  CHECK(json == NULL);
  CHECK_STATUS(cs_classify_json(e, "\xc0\xaf", 2, NULL, &json), CS_ERR_INVALID_UTF8);
  CHECK_STATUS(cs_classify_json(e, "\xed\xa0\x80", 3, NULL, &json), CS_ERR_INVALID_UTF8);
  CHECK_STATUS(cs_classify_json(e, "caf\xc3", 4, NULL, &json), CS_ERR_INVALID_UTF8);
  /* A length that stops inside a character makes it invalid too. */
  CHECK_STATUS(cs_classify_json(e, "caf\xc3\xa9", 4, NULL, &json), CS_ERR_INVALID_UTF8);
  CHECK_STATUS(cs_classify_json(e, "caf\xc3\xa9", 5, NULL, &json), CS_OK);
  cs_free(json);
  /* NUL bytes inside the text are text */
  CHECK_STATUS(cs_classify_json(e, "a\0b", 3, NULL, &json), CS_OK);
  cs_free(json);

  /* Oversize: one byte past the limit, and a huge length that must not be read */
  {
    size_t n = CS_MAX_TEXT_BYTES + 1;
    char *big = malloc(n);
    size_t i;
    for (i = 0; i < n; i++) big[i] = (i % 6 == 5) ? ' ' : 'a';
    json = SENTINEL;
    CHECK_STATUS(cs_classify_json(e, big, n, NULL, &json), CS_ERR_TOO_LARGE);
    CHECK(json == NULL);
    CHECK_STATUS(cs_classify_json(e, big, n - 1, NULL, &json), CS_OK); /* exactly the limit */
    cs_free(json);
    free(big);
    CHECK_STATUS(cs_classify_json(e, hello, (size_t)-1, NULL, &json), CS_ERR_TOO_LARGE);
    CHECK_STATUS(cs_classify_json(e, hello, ((size_t)-1) / 2 + 1, NULL, &json), CS_ERR_TOO_LARGE);
  }
}

static void test_classify(const cs_engine *e) {
  const char *msg = "see you at practice tomorrow, coach said 5pm";
  cs_verdict *v = SENTINEL;
  char *err = SENTINEL;
  char *json = NULL;
  cs_context ctx;

  CHECK_STATUS(cs_classify(e, msg, strlen(msg), NULL, &v, &err), CS_OK);
  CHECK(err == NULL);
  check_verdict_shape(v, strlen(msg));
  /* The typed and JSON verdicts agree. */
  CHECK_STATUS(cs_classify_json(e, msg, strlen(msg), NULL, &json), CS_OK);
  if (v != NULL && json != NULL) {
    CHECK(contains(json, v->flagged ? "\"flagged\":true" : "\"flagged\":false"));
  }
  cs_free(json);
  cs_free(v);

  cs_context_init(&ctx);
  ctx.sender_age = 35;
  ctx.recipient_age = 12;
  ctx.lang = "en";
  ctx.conversation_id = "conv-typed";
  ctx.sender_id = "user-9";
  ctx.timestamp = 1700000000.0;
  ctx.has_timestamp = 1;
  CHECK_STATUS(cs_classify(e, msg, strlen(msg), &ctx, &v, NULL), CS_OK);
  check_verdict_shape(v, strlen(msg));
  cs_free(v);

  ctx.kind = CS_TEXT_QUERY;
  CHECK_STATUS(cs_classify(e, "13th birthday party ideas", 25, &ctx, &v, NULL), CS_OK);
  check_verdict_shape(v, 25);
  cs_free(v);

  /* Error paths */
  v = SENTINEL;
  err = NULL;
  CHECK_STATUS(cs_classify(NULL, msg, strlen(msg), NULL, &v, &err), CS_ERR_INVALID_ARGUMENT);
  CHECK(v == NULL && contains(err, "engine"));
  cs_free(err);
  CHECK_STATUS(cs_classify(e, msg, strlen(msg), NULL, NULL, NULL), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_classify(e, NULL, 3, NULL, &v, NULL), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_classify(e, "\x80", 1, NULL, &v, &err), CS_ERR_INVALID_UTF8);
  CHECK(v == NULL && contains(err, "UTF-8"));
  cs_free(err);
  CHECK_STATUS(cs_classify(e, msg, (size_t)CS_MAX_TEXT_BYTES + 1, NULL, &v, NULL), CS_ERR_TOO_LARGE);

  cs_context_init(&ctx);
  ctx.size = 0;
  CHECK_STATUS(cs_classify(e, msg, strlen(msg), &ctx, &v, &err), CS_ERR_INVALID_ARGUMENT);
  CHECK(contains(err, "cs_context_init"));
  cs_free(err);
  cs_context_init(&ctx);
  ctx.kind = 7;
  CHECK_STATUS(cs_classify(e, msg, strlen(msg), &ctx, &v, NULL), CS_ERR_INVALID_VALUE);
  cs_context_init(&ctx);
  ctx.sender_age = CS_MAX_AGE + 1;
  CHECK_STATUS(cs_classify(e, msg, strlen(msg), &ctx, &v, NULL), CS_ERR_INVALID_VALUE);
  cs_context_init(&ctx);
  ctx.recipient_age = -7; /* any negative age is unknown */
  CHECK_STATUS(cs_classify(e, msg, strlen(msg), &ctx, &v, NULL), CS_OK);
  cs_free(v);
  cs_context_init(&ctx);
  ctx.has_timestamp = 1;
  ctx.timestamp = NAN;
  CHECK_STATUS(cs_classify(e, msg, strlen(msg), &ctx, &v, NULL), CS_ERR_INVALID_VALUE);
  cs_context_init(&ctx);
  ctx.lang = "e\xffn";
  CHECK_STATUS(cs_classify(e, msg, strlen(msg), &ctx, &v, NULL), CS_ERR_INVALID_UTF8);
  CHECK(v == NULL);
}

/* A contact a parent approved: a mother's meeting plan and compliment to her 13-year-old are not
   signals, in one message or across a session, while a secret kept from the other parent still
   flags. A caller built against the first layout (size up to on_intervention_ctx) gets 0. */
static void test_sender_trusted(const cs_engine *e) {
  static const char *const family[] = {"I'll pick you up at 5 after practice", "you looked so grown up in that photo",
                                       "want me to come get you", "love you sweetheart"};
  const char *secret = "this is our little secret, don't tell your dad";
  const char *meeting = family[0];
  cs_context ctx;
  cs_verdict *v = NULL;
  cs_session *s = NULL;
  cs_conversation_verdict *cv = NULL;
  size_t i;

  cs_context_init(&ctx);
  CHECK(ctx.sender_trusted == 0);
  {
    cs_context init = CS_CONTEXT_INIT;
    CHECK(init.sender_trusted == 0 && init.size == sizeof(cs_context));
  }
  ctx.sender_age = 41;
  ctx.recipient_age = 13;
  CHECK_STATUS(cs_classify(e, meeting, strlen(meeting), &ctx, &v, NULL), CS_OK);
  CHECK(v != NULL && v->flagged && v->match_count > 0);
  cs_free(v);
  ctx.sender_trusted = 1;
  CHECK_STATUS(cs_classify(e, meeting, strlen(meeting), &ctx, &v, NULL), CS_OK);
  CHECK(v != NULL && !v->flagged && v->match_count == 0);
  cs_free(v);
  CHECK_STATUS(cs_classify(e, secret, strlen(secret), &ctx, &v, NULL), CS_OK);
  CHECK(v != NULL && v->flagged);
  cs_free(v);
  /* The first layout: sender_trusted lies beyond its size and is never read. */
  ctx.size = offsetof(cs_context, on_intervention_ctx) + sizeof(void *);
  CHECK_STATUS(cs_classify(e, meeting, strlen(meeting), &ctx, &v, NULL), CS_OK);
  CHECK(v != NULL && v->flagged);
  cs_free(v);
  ctx.size = sizeof ctx;

  CHECK_STATUS(cs_session_open(e, "family", &s), CS_OK);
  ctx.sender_id = "mum";
  for (i = 0; i < sizeof family / sizeof family[0]; i++) {
    CHECK_STATUS(cs_session_add(s, family[i], strlen(family[i]), &ctx, &v, NULL), CS_OK);
    CHECK(v != NULL && !v->flagged);
    cs_free(v);
  }
  CHECK_STATUS(cs_session_verdict(s, &cv), CS_OK);
  CHECK(cv != NULL && !cv->flagged && cv->stage_count == 0 && cv->message_count == 4);
  cs_free(cv);
  cs_session_close(s);
}

/* ---------------------------------------------------------------------------------------------- */
/* Hooks */

typedef struct hook_log {
  int calls;
  int bad_fields;
  int leaked_text;
  int wrong_conversation;
  const char *expected_conversation; /* NULL: not checked */
  int response;                      /* what the hook answers: a cs_intervention_response */
  int by_audience[3];                /* calls per cs_audience */
  int mute_recipient_after;          /* > 0: on that call, the hook mutes the recipient (session_to_mute) */
  cs_session *session_to_mute;
  char last_locale[16];
  char last_kind[32];
  char last_signpost[128];
  char recipient_signpost[128];
  char guardian_signpost[128];
} hook_log;

static const char *const SECRET_TOKEN = "zorblax";

static int one_of(const char *s, const char *const *set) {
  for (; *set != NULL; set++)
    if (s != NULL && strcmp(s, *set) == 0) return 1;
  return 0;
}

static int record_hook(const cs_intervention *iv, void *ctx) {
  static const char *const audiences[] = {"sender", "recipient", "guardian", NULL};
  static const char *const kinds[] = {"deterrence", "safety_prompt", "guardian_notice", "help", NULL};
  static const char *const risks[] = {"none", "low", "medium", "high", "critical", NULL};
  hook_log *log = ctx;
  const char *fields[9];
  int i;
  log->calls++;
  if (iv == NULL) {
    log->bad_fields++;
    return CS_INTERVENTION_SHOWN;
  }
  if (!one_of(iv->audience, audiences) || !one_of(iv->kind, kinds) || !one_of(iv->risk, risks) ||
      iv->message == NULL || iv->message[0] == '\0' || iv->category == NULL || iv->locale == NULL)
    log->bad_fields++;
  for (i = 0; i < 3; i++)
    if (iv->audience != NULL && strcmp(iv->audience, audiences[i]) == 0) log->by_audience[i]++;
  /* A safety prompt is worded for the child's age band; the other audiences get none. */
  if (iv->audience != NULL && (strcmp(iv->audience, "recipient") == 0) != (iv->age_band != NULL)) log->bad_fields++;
  snprintf(log->last_locale, sizeof log->last_locale, "%s", iv->locale ? iv->locale : "");
  snprintf(log->last_kind, sizeof log->last_kind, "%s", iv->kind ? iv->kind : "");
  snprintf(log->last_signpost, sizeof log->last_signpost, "%s", iv->signpost_name ? iv->signpost_name : "");
  if (iv->audience != NULL && strcmp(iv->audience, "recipient") == 0)
    snprintf(log->recipient_signpost, sizeof log->recipient_signpost, "%s", log->last_signpost);
  if (iv->audience != NULL && strcmp(iv->audience, "guardian") == 0)
    snprintf(log->guardian_signpost, sizeof log->guardian_signpost, "%s", log->last_signpost);
  fields[0] = iv->audience;
  fields[1] = iv->kind;
  fields[2] = iv->category;
  fields[3] = iv->risk;
  fields[4] = iv->message;
  fields[5] = iv->signpost_name;
  fields[6] = iv->signpost_phone;
  fields[7] = iv->signpost_url;
  fields[8] = iv->conversation_id;
  for (i = 0; i < 9; i++)
    if (contains(fields[i], SECRET_TOKEN)) log->leaked_text++;
  if (log->expected_conversation != NULL &&
      (iv->conversation_id == NULL || strcmp(iv->conversation_id, log->expected_conversation) != 0))
    log->wrong_conversation++;
  if (log->mute_recipient_after > 0 && log->calls == log->mute_recipient_after && log->session_to_mute != NULL)
    if (cs_session_mute(log->session_to_mute, CS_AUDIENCE_RECIPIENT, 0, 1000) != CS_OK) log->bad_fields++;
  return log->response;
}

/* Non-graphic grooming-like chat (secrecy, age probe, platform switch, meeting), each with a
   token that must never reach a hook. */
static const char *const GROOMING[] = {
    "ur so mature for ur age zorblax, how old r u?",
    "r ur parents home? zorblax",
    "this is just between us ok zorblax, dont tell ur mom",
    "add me on snap instead zorblax, its more private",
    "lets meet at the park saturday, come alone zorblax",
    "if u tell anyone ill be in trouble and so will u zorblax",
};
#define GROOMING_COUNT (sizeof GROOMING / sizeof GROOMING[0])

static void test_hook_per_call(const cs_engine *e) {
  hook_log log = {0};
  cs_context ctx;
  cs_verdict *v = NULL;
  size_t i;
  int flagged = 0;

  log.expected_conversation = "conv-hook";
  cs_context_init(&ctx);
  ctx.sender_age = 31;
  ctx.recipient_age = 12;
  ctx.conversation_id = "conv-hook";
  ctx.on_intervention = record_hook;
  ctx.on_intervention_ctx = &log;
  for (i = 0; i < GROOMING_COUNT; i++) {
    int before = log.calls;
    CHECK_STATUS(cs_classify(e, GROOMING[i], strlen(GROOMING[i]), &ctx, &v, NULL), CS_OK);
    check_verdict_shape(v, strlen(GROOMING[i]));
    if (v != NULL && v->flagged) {
      flagged++;
      CHECK(log.calls > before); /* a flagged message to a child calls for an intervention */
    }
    cs_free(v);
  }
  CHECK(log.bad_fields == 0);
  CHECK(log.leaked_text == 0);
  CHECK(log.wrong_conversation == 0);
  /* Most of these grooming messages are flagged, and an adult writing to a 12-year-old reaches
     all three audiences (no rate limiting outside a session: every flagged message calls). */
  CHECK(flagged >= 4);
  CHECK(log.by_audience[CS_AUDIENCE_SENDER] > 0 && log.by_audience[CS_AUDIENCE_RECIPIENT] == flagged &&
        log.by_audience[CS_AUDIENCE_GUARDIAN] > 0);
  printf("hook (per call): %d of %zu grooming messages flagged, %d interventions (%d sender, %d recipient, %d guardian)\n",
         flagged, GROOMING_COUNT, log.calls, log.by_audience[0], log.by_audience[1], log.by_audience[2]);

  /* Benign messages call no hook. */
  log.calls = 0;
  CHECK_STATUS(cs_classify(e, "see you at practice tomorrow", 28, &ctx, &v, NULL), CS_OK);
  cs_free(v);
  CHECK(log.calls == 0);

  /* A search for abuse material deters the searcher; a search for help gets help, not a warning. */
  {
    const char *query = "how to report child abuse online";
    hook_log q = {0};
    cs_context_init(&ctx);
    ctx.kind = CS_TEXT_QUERY;
    ctx.on_intervention = record_hook;
    ctx.on_intervention_ctx = &q;
    CHECK_STATUS(cs_classify(e, query, strlen(query), &ctx, &v, NULL), CS_OK);
    cs_free(v);
    CHECK(q.bad_fields == 0 && q.leaked_text == 0);
    CHECK(q.calls == 1 && q.by_audience[CS_AUDIENCE_SENDER] == 1 && strcmp(q.last_kind, "help") == 0);
  }
}

/* Interventions are worded in the engine's locale with its country's helplines. */
static void test_localised_interventions(void) {
  cs_engine_options o;
  cs_engine *e = NULL;
  hook_log log = {0};
  cs_context ctx;
  const char *text = "this is just between us ok zorblax, dont tell ur mom";
  char *json = NULL;

  cs_engine_options_init(&o);
  o.locale = "fr";
  o.country = "FR";
  CHECK_STATUS(cs_engine_open_ex(&o, &e, NULL), CS_OK);
  if (e == NULL) return;
  cs_context_init(&ctx);
  ctx.sender_age = 40;
  ctx.recipient_age = 11;
  ctx.on_intervention = record_hook;
  ctx.on_intervention_ctx = &log;
  CHECK_STATUS(cs_classify(e, text, strlen(text), &ctx, NULL, NULL), CS_ERR_INVALID_ARGUMENT);
  {
    cs_verdict *v = NULL;
    CHECK_STATUS(cs_classify(e, text, strlen(text), &ctx, &v, NULL), CS_OK);
    cs_free(v);
  }
  CHECK(log.calls >= 2 && log.bad_fields == 0 && log.leaked_text == 0);
  CHECK(strcmp(log.last_locale, "fr") == 0);
  CHECK(log.last_signpost[0] != '\0');
  printf("interventions (fr, FR): %d, last signpost \"%s\"\n", log.calls, log.last_signpost);
  CHECK_STATUS(cs_classify_json(e, text, strlen(text), "{\"recipient_age\":11}", &json), CS_OK);
  CHECK(contains(json, "\"interventions\":[") && !contains(json, "zorblax"));
  cs_free(json);
  cs_engine_close(e);
}

static void test_sessions(const cs_engine *e) {
  cs_session *s = SENTINEL;
  hook_log log = {0};
  cs_conversation_verdict *cv = SENTINEL;
  cs_verdict *v = NULL;
  char *json = NULL;
  char *err = NULL;
  size_t i, n = GROOMING_COUNT;
  cs_context ctx;

  log.expected_conversation = "conv-1";
  CHECK_STATUS(cs_session_open(NULL, "x", &s), CS_ERR_INVALID_ARGUMENT);
  CHECK(s == NULL);
  CHECK_STATUS(cs_session_open(e, "x", NULL), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_session_open(e, "bad \xff id", &s), CS_ERR_INVALID_UTF8);
  {
    char *longid = malloc(CS_MAX_ID_BYTES + 2);
    memset(longid, 'i', CS_MAX_ID_BYTES + 1);
    longid[CS_MAX_ID_BYTES + 1] = 0;
    CHECK_STATUS(cs_session_open(e, longid, &s), CS_ERR_TOO_LARGE);
    free(longid);
  }
  CHECK_STATUS(cs_session_open(e, "conv-1", &s), CS_OK);
  CHECK(s != NULL && s != SENTINEL);

  CHECK_STATUS(cs_session_set_intervention_hook(NULL, record_hook, &log), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_session_set_intervention_hook(s, record_hook, &log), CS_OK);

  cs_context_init(&ctx);
  ctx.sender_age = 29;
  ctx.recipient_age = 13;
  ctx.sender_id = "adult-1";
  ctx.has_timestamp = 1;
  for (i = 0; i < n; i++) {
    ctx.timestamp = 60.0 * (double)i;
    CHECK_STATUS(cs_session_add(s, GROOMING[i], strlen(GROOMING[i]), &ctx, &v, &err), CS_OK);
    CHECK(err == NULL);
    check_verdict_shape(v, strlen(GROOMING[i]));
    cs_free(v);
    v = NULL;
  }
  CHECK_STATUS(cs_session_verdict(s, &cv), CS_OK);
  if (cv != NULL) {
    CHECK(cv->message_count == n);
    CHECK(cv->flagged_at >= -1 && cv->flagged_at < (long)n);
    CHECK((cv->flagged_at >= 0) == (cv->flagged != 0));
    CHECK(cv->risk >= CS_RISK_NONE && cv->risk <= CS_RISK_CRITICAL);
    CHECK(cv->score >= 0.0 && cv->score <= 1.0);
    CHECK(cv->stage_count == 0 || cv->stages != NULL);
    for (i = 0; i < cv->stage_count; i++) CHECK(cv->stages[i] != NULL);
    /* The conversation is flagged from its first message, with most grooming stages seen. */
    CHECK(cv->flagged == 1 && cv->flagged_at == 0);
    CHECK(cv->risk >= CS_RISK_HIGH);
    CHECK(cv->stage_count >= 4);
    printf("session: flagged=%d flagged_at=%ld risk=%d stages=%zu, %d interventions\n", cv->flagged,
           cv->flagged_at, cv->risk, cv->stage_count, log.calls);
    cs_free(cv);
  }
  /* The sender and the 13-year-old hear about it (no guardian notice at 13), rate-limited: fewer
     interventions than flagged messages, since each was reported shown. */
  CHECK(log.by_audience[CS_AUDIENCE_SENDER] > 0 && log.by_audience[CS_AUDIENCE_RECIPIENT] > 0);
  CHECK(log.by_audience[CS_AUDIENCE_GUARDIAN] == 0);
  CHECK(log.by_audience[CS_AUDIENCE_RECIPIENT] < (int)n - 1);
  CHECK(log.bad_fields == 0 && log.leaked_text == 0 && log.wrong_conversation == 0);

  /* A failed add changes nothing. */
  CHECK_STATUS(cs_session_add(s, "\xff", 1, NULL, &v, &err), CS_ERR_INVALID_UTF8);
  CHECK(v == NULL && err != NULL);
  cs_free(err);
  CHECK_STATUS(cs_session_add(s, "hi", 2, &ctx, NULL, NULL), CS_OK); /* out_verdict is optional */
  CHECK_STATUS(cs_session_verdict_json(s, &json), CS_OK);
  CHECK(starts_with(json, "{\"flagged\":true,\"flagged_at\":0,"));
  CHECK(contains(json, "\"risky_sender\":\"adult-1\""));
  {
    char expect[64];
    snprintf(expect, sizeof expect, "\"messages\":%zu", n + 1);
    CHECK(contains(json, expect));
    CHECK(contains(json, "\"flagged_at\":") && contains(json, "\"stages\":["));
  }
  cs_free(json);

  /* JSON add: message members plus the running conversation. */
  CHECK_STATUS(cs_session_add_json(s, "ok cool", 7, "{\"from\":\"child-1\",\"sender_age\":13,\"t\":999}", &json),
               CS_OK);
  CHECK(starts_with(json, "{\"flagged\":false,"));
  CHECK(contains(json, "\"conversation\":{\"flagged\":true,"));
  CHECK(!contains(json, "\"interventions\""));
  {
    char expect[64];
    snprintf(expect, sizeof expect, "\"messages\":%zu", n + 2);
    CHECK(contains(json, expect));
  }
  cs_free(json);
  CHECK_STATUS(cs_session_add_json(s, "ok", 2, NULL, NULL), CS_OK);
  CHECK_STATUS(cs_session_add_json(s, "ok", 2, "{\"t\":true}", &json), CS_ERR_INVALID_VALUE);
  CHECK(json == NULL);
  CHECK_STATUS(cs_session_add_json(NULL, "ok", 2, NULL, &json), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_session_mute(NULL, CS_AUDIENCE_SENDER, 0, 1), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_session_mute(s, 3, 0, 1), CS_ERR_INVALID_VALUE);
  CHECK_STATUS(cs_session_mute(s, -1, 0, 1), CS_ERR_INVALID_VALUE);
  CHECK_STATUS(cs_session_mute(s, CS_AUDIENCE_SENDER, -1, 0), CS_ERR_INVALID_VALUE);
  CHECK_STATUS(cs_session_mute(s, CS_AUDIENCE_SENDER, NAN, 0), CS_ERR_INVALID_VALUE);
  CHECK_STATUS(cs_session_mute(s, CS_AUDIENCE_SENDER, 0, -5), CS_ERR_INVALID_VALUE);
  CHECK_STATUS(cs_session_add(NULL, "ok", 2, NULL, NULL, NULL), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_session_add(s, NULL, 2, NULL, NULL, NULL), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_session_add(s, "ok", (size_t)CS_MAX_TEXT_BYTES + 1, NULL, NULL, NULL), CS_ERR_TOO_LARGE);
  CHECK_STATUS(cs_session_verdict(s, &cv), CS_OK);
  CHECK(cv != NULL && cv->message_count == n + 3);
  cs_free(cv);
  CHECK_STATUS(cs_session_verdict(NULL, &cv), CS_ERR_INVALID_ARGUMENT);
  CHECK(cv == NULL);
  CHECK_STATUS(cs_session_verdict(s, NULL), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_session_verdict_json(NULL, &json), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_session_verdict_json(s, NULL), CS_ERR_INVALID_ARGUMENT);

  /* Clearing the hook stops calls. */
  CHECK_STATUS(cs_session_set_intervention_hook(s, NULL, NULL), CS_OK);
  log.calls = 0;
  for (i = 0; i < n; i++) CHECK_STATUS(cs_session_add(s, GROOMING[i], strlen(GROOMING[i]), &ctx, NULL, NULL), CS_OK);
  CHECK(log.calls == 0);
  cs_session_close(s);
  cs_session_close(NULL);
}

/* Runs the grooming messages through a new session whose hook answers `response`; returns the
   hook's log. `mute_after` > 0: the hook mutes the recipient from within its call number mute_after. */
static hook_log run_session(const cs_engine *e, int response, int mute_after, char **json_out) {
  hook_log log = {0};
  cs_session *s = NULL;
  cs_context ctx;
  size_t i;
  log.response = response;
  log.mute_recipient_after = mute_after;
  CHECK_STATUS(cs_session_open(e, "conv-rate", &s), CS_OK);
  if (s == NULL) return log;
  log.session_to_mute = s;
  CHECK_STATUS(cs_session_set_intervention_hook(s, record_hook, &log), CS_OK);
  cs_context_init(&ctx);
  ctx.sender_age = 29;
  ctx.recipient_age = 12;
  ctx.has_timestamp = 1;
  for (i = 0; i < GROOMING_COUNT; i++) {
    ctx.timestamp = 30.0 * (double)i;
    CHECK_STATUS(cs_session_add(s, GROOMING[i], strlen(GROOMING[i]), &ctx, NULL, NULL), CS_OK);
  }
  if (json_out != NULL)
    CHECK_STATUS(cs_session_add_json(s, GROOMING[2], strlen(GROOMING[2]), "{\"sender_age\":29,\"recipient_age\":12}",
                                     json_out), CS_OK);
  cs_session_close(s);
  CHECK(log.bad_fields == 0 && log.leaked_text == 0);
  return log;
}

/* What the hook answers drives rate limiting: an intervention the host did not show does not
   hold back the next one; one shown (or acknowledged) does, per audience. */
static void test_hook_responses(const cs_engine *e) {
  char *json = NULL;
  hook_log shown = run_session(e, CS_INTERVENTION_SHOWN, 0, NULL);
  hook_log acknowledged = run_session(e, CS_INTERVENTION_ACKNOWLEDGED, 0, NULL);
  hook_log suppressed = run_session(e, CS_INTERVENTION_SUPPRESSED, 0, &json);
  hook_log unknown = run_session(e, 77, 0, NULL); /* unknown answers count as shown */
  hook_log muted = run_session(e, CS_INTERVENTION_SHOWN, 1, NULL);
  int i;
  printf("rate limiting: %d interventions when shown, %d when acknowledged, %d when suppressed\n", shown.calls,
         acknowledged.calls, suppressed.calls);
  CHECK(shown.calls > 0 && suppressed.calls > shown.calls);
  CHECK(acknowledged.calls == shown.calls && unknown.calls == shown.calls);
  /* Every flagged message reaches every audience when nothing was shown. */
  CHECK(suppressed.by_audience[CS_AUDIENCE_RECIPIENT] >= 4 && suppressed.by_audience[CS_AUDIENCE_GUARDIAN] >= 4);
  /* Suppressed interventions are not listed as delivered in the JSON either. */
  CHECK(json != NULL && contains(json, "\"flagged\":true") && !contains(json, "\"interventions\""));
  CHECK(!contains(json, "zorblax"));
  cs_free(json);
  /* The hook muted the recipient during its first call: later calls are for the others only. */
  CHECK(muted.by_audience[CS_AUDIENCE_RECIPIENT] == 1);
  CHECK(muted.by_audience[CS_AUDIENCE_SENDER] == shown.by_audience[CS_AUDIENCE_SENDER]);
  for (i = 0; i < 3; i++) CHECK(muted.by_audience[i] <= shown.by_audience[i]);
  CHECK(muted.by_audience[CS_AUDIENCE_RECIPIENT] < shown.by_audience[CS_AUDIENCE_RECIPIENT]);
}

/* An engine whose sessions are rate-limited otherwise (cs_engine_with_rate_limit): with no limit every
   flagged message reaches every audience, as when the host showed nothing; a limit longer than the
   conversation holds back more than the default does; bad values are refused. */
static void test_rate_limit(const cs_engine *e) {
  cs_engine *unlimited = NULL, *sparse = NULL, *bad = NULL;
  char *err = NULL;
  hook_log by_default, none, everything, rare;
  CHECK_STATUS(cs_engine_with_rate_limit(e, 0, 0, &unlimited, NULL), CS_OK);
  CHECK_STATUS(cs_engine_with_rate_limit(e, 86400, 1000, &sparse, NULL), CS_OK);
  if (unlimited == NULL || sparse == NULL) return;
  by_default = run_session(e, CS_INTERVENTION_SHOWN, 0, NULL);
  everything = run_session(e, CS_INTERVENTION_SUPPRESSED, 0, NULL);
  none = run_session(unlimited, CS_INTERVENTION_SHOWN, 0, NULL);
  rare = run_session(sparse, CS_INTERVENTION_SHOWN, 0, NULL);
  printf("rate limits: %d interventions with none, %d by default, %d at one a day\n", none.calls, by_default.calls,
         rare.calls);
  CHECK(none.calls == everything.calls && none.calls > by_default.calls);
  CHECK(rare.calls <= by_default.calls && rare.by_audience[CS_AUDIENCE_RECIPIENT] >= 1);
  /* The engine it came from keeps its own rate limit. */
  CHECK(run_session(e, CS_INTERVENTION_SHOWN, 0, NULL).calls == by_default.calls);
  CHECK_STATUS(cs_engine_with_rate_limit(e, -1, 0, &bad, &err), CS_ERR_INVALID_VALUE);
  CHECK(bad == NULL && contains(err, "seconds"));
  cs_free(err);
  CHECK_STATUS(cs_engine_with_rate_limit(e, strtod("nan", NULL), 0, &bad, NULL), CS_ERR_INVALID_VALUE);
  CHECK_STATUS(cs_engine_with_rate_limit(e, strtod("inf", NULL), 0, &bad, NULL), CS_ERR_INVALID_VALUE);
  CHECK_STATUS(cs_engine_with_rate_limit(e, 0, -1, &bad, NULL), CS_ERR_INVALID_VALUE);
  CHECK_STATUS(cs_engine_with_rate_limit(NULL, 0, 0, &bad, NULL), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_engine_with_rate_limit(e, 0, 0, NULL, NULL), CS_ERR_INVALID_ARGUMENT);
  CHECK(bad == NULL);
  cs_engine_close(unlimited);
  cs_engine_close(sparse);
}

static void test_session_outlives_engine(void) {
  cs_engine *e = NULL;
  cs_session *s = NULL;
  cs_conversation_verdict *cv = NULL;
  CHECK_STATUS(cs_engine_open(NULL, &e, NULL), CS_OK);
  CHECK_STATUS(cs_session_open(e, NULL, &s), CS_OK);
  cs_engine_close(e); /* the session keeps the engine alive */
  CHECK_STATUS(cs_session_add(s, "hello there", 11, NULL, NULL, NULL), CS_OK);
  CHECK_STATUS(cs_session_verdict(s, &cv), CS_OK);
  CHECK(cv != NULL && cv->message_count == 1 && cv->flagged_at == -1);
  cs_free(cv);
  cs_session_close(s);
}

/* ---------------------------------------------------------------------------------------------- */

static void test_urls(const cs_engine *e) {
  const char *url = "http://Example.COM/a/./b/../c";
  cs_url_verdict *u = SENTINEL;
  char *json = SENTINEL;
  static const char *const reasons[] = {"blocklist", "allowlist", "hashed", "homograph", "not_listed", "invalid", NULL};

  CHECK_STATUS(cs_url_check(e, url, strlen(url), &u), CS_OK);
  CHECK(u != NULL && u != SENTINEL);
  if (u != NULL && u != SENTINEL) {
    CHECK(u->blocked == 0 || u->blocked == 1);
    CHECK(u->canonical != NULL && u->canonical[0] != '\0');
    CHECK(one_of(u->reason, reasons));
    CHECK(strcmp(u->canonical, "http://example.com/a/c") == 0);
    CHECK(u->blocked == 0 && strcmp(u->reason, "not_listed") == 0 && u->category == NULL && u->list == NULL);
  }
  CHECK_STATUS(cs_url_check_json(e, url, strlen(url), &json), CS_OK);
  CHECK(starts_with(json, "{\"canonical\":\"http://example.com/a/c\",\"host\":\"example.com\",\"blocked\":false,"));
  CHECK(contains(json, "\"blocked\":") && contains(json, "\"category\":") && contains(json, "\"list\":") &&
        contains(json, "\"rule\":") && contains(json, "\"reason\":"));
  if (u != NULL && u != SENTINEL) CHECK(contains(json, u->blocked ? "\"blocked\":true" : "\"blocked\":false"));
  cs_free(json);
  cs_free(u);

  u = SENTINEL;
  json = SENTINEL;
  CHECK_STATUS(cs_url_check(NULL, url, strlen(url), &u), CS_ERR_INVALID_ARGUMENT);
  CHECK(u == NULL);
  CHECK_STATUS(cs_url_check(e, url, strlen(url), NULL), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_url_check(e, NULL, 4, &u), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_url_check(e, "http://\xff/", 9, &u), CS_ERR_INVALID_UTF8);
  CHECK_STATUS(cs_url_check_json(NULL, url, strlen(url), &json), CS_ERR_INVALID_ARGUMENT);
  CHECK(json == NULL);
  CHECK_STATUS(cs_url_check_json(e, url, strlen(url), NULL), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_url_check_json(e, "\xc3", 1, &json), CS_ERR_INVALID_UTF8);
  {
    size_t n = CS_MAX_URL_BYTES + 1;
    char *big = malloc(n);
    memset(big, 'a', n);
    memcpy(big, "http://", 7);
    CHECK_STATUS(cs_url_check_json(e, big, n, &json), CS_ERR_TOO_LARGE);
    CHECK_STATUS(cs_url_check(e, big, n, &u), CS_ERR_TOO_LARGE);
    CHECK_STATUS(cs_url_check(e, big, (size_t)-1, &u), CS_ERR_TOO_LARGE);
    /* Exactly CS_MAX_URL_BYTES is accepted: the library's own limit is the header's. */
    big[7] = 'a';
    big[8] = '/';
    CHECK_STATUS(cs_url_check(e, big, n - 1, &u), CS_OK);
    CHECK(u != NULL && strcmp(u->reason, "not_listed") == 0);
    cs_free(u);
    free(big);
  }
  {
    /* Read as browsers read it: the host checked is the one a browser opens. */
    static const char *const spellings[] = {"http://casino-example.test\\@good.com/", "http:casino-example.test/",
                                            "http:/\\casino-example.test/", "http:\\\\casino-example.test\\x",
                                            "http://0x7f.1/../casino-example.test", NULL};
    for (int i = 0; spellings[i] != NULL; i++) {
      u = NULL;
      CHECK_STATUS(cs_url_check(e, spellings[i], strlen(spellings[i]), &u), CS_OK);
      CHECK(u != NULL && (i == 4 ? u->blocked == 0 : u->blocked == 1 && strcmp(u->category, "gambling") == 0));
      cs_free(u);
    }
    /* A URL that cannot be parsed is blocked by default, let through with CS_URL_ALLOW_INVALID. */
    const char *bad = "http://user@/x";
    CHECK_STATUS(cs_url_check(e, bad, strlen(bad), &u), CS_OK);
    CHECK(u != NULL && u->blocked == 1 && strcmp(u->reason, "invalid") == 0);
    cs_free(u);
    CHECK_STATUS(cs_url_check_ex(e, bad, strlen(bad), CS_URL_DEFAULT, &u), CS_OK);
    CHECK(u != NULL && u->blocked == 1 && strcmp(u->reason, "invalid") == 0);
    cs_free(u);
    CHECK_STATUS(cs_url_check_ex(e, bad, strlen(bad), CS_URL_ALLOW_INVALID, &u), CS_OK);
    CHECK(u != NULL && u->blocked == 0 && strcmp(u->reason, "invalid") == 0);
    cs_free(u);
    CHECK_STATUS(cs_url_check_json_ex(e, bad, strlen(bad), CS_URL_ALLOW_INVALID, &json), CS_OK);
    CHECK(contains(json, "\"host\":null") && contains(json, "\"blocked\":false") && contains(json, "\"error\":"));
    cs_free(json);
    CHECK_STATUS(cs_url_check_json(e, bad, strlen(bad), &json), CS_OK);
    CHECK(contains(json, "\"blocked\":true") && contains(json, "\"reason\":\"invalid\""));
    cs_free(json);
    u = SENTINEL;
    CHECK_STATUS(cs_url_check_ex(e, bad, strlen(bad), 0x80u, &u), CS_ERR_INVALID_ARGUMENT); /* unknown flag */
    CHECK(u == NULL);
    json = SENTINEL;
    CHECK_STATUS(cs_url_check_json_ex(e, bad, strlen(bad), 0x80u, &json), CS_ERR_INVALID_ARGUMENT);
    CHECK(json == NULL);
    CHECK_STATUS(cs_url_check_ex(e, bad, strlen(bad), 0, NULL), CS_ERR_INVALID_ARGUMENT);
  }
  {
    /* The embedded sample lists block by default; the query, case and fragment do not matter. */
    const char *listed = "HTTPS://Adult-Example.TEST/some/page?x=1#top";
    CHECK_STATUS(cs_url_check(e, listed, strlen(listed), &u), CS_OK);
    CHECK(u != NULL && u->blocked == 1 && strcmp(u->category, "adult") == 0 && strcmp(u->reason, "blocklist") == 0);
    CHECK(u != NULL && !contains(u->canonical, "#top"));
    cs_free(u);
  }
  /* Odd but valid inputs still get a verdict. */
  CHECK_STATUS(cs_url_check(e, "", 0, &u), CS_OK);
  cs_free(u);
  CHECK_STATUS(cs_url_check(e, "   ", 3, &u), CS_OK);
  cs_free(u);
}

static void test_defaults(void) {
  cs_defaults *d = SENTINEL;
  char *json = SENTINEL;
  static const char *const bands[] = {"0-5", "6-9", "10-12", "13-15", "16-17", "18+", NULL};
  int age;

  CHECK_STATUS(cs_defaults_json(-1, &json), CS_OK);
  CHECK(contains(json, "\"band\":\"13-15\"") && contains(json, "\"age\":null") &&
        contains(json, "\"age_assured\":false"));
  cs_free(json);
  CHECK_STATUS(cs_defaults_json(14, &json), CS_OK);
  CHECK(contains(json, "\"age\":14") && contains(json, "\"age_assured\":true"));
  cs_free(json);

  CHECK_STATUS(cs_defaults_get(-5, &d), CS_OK);
  CHECK(d != NULL && strcmp(d->band, "13-15") == 0 && d->age == -1 && d->age_assured == 0);
  cs_free(d);
  for (age = 0; age <= 20; age++) {
    /* Exact bands, so every boundary (5/6, 9/10, 12/13, 15/16, 17/18) is on both sides. */
    const char *expected = age <= 5 ? "0-5" : age <= 9 ? "6-9" : age <= 12 ? "10-12" : age <= 15 ? "13-15"
                         : age <= 17 ? "16-17" : "18+";
    CHECK_STATUS(cs_defaults_get(age, &d), CS_OK);
    CHECK(d != NULL && one_of(d->band, bands) && d->age == age && d->age_assured == 1);
    if (d != NULL && strcmp(d->band, expected) != 0) {
      failures++;
      fprintf(stderr, "age %d: band %s, expected %s\n", age, d->band, expected);
    }
    cs_free(d);
  }
  CHECK_STATUS(cs_defaults_get(CS_MAX_AGE, &d), CS_OK);
  cs_free(d);

  d = SENTINEL;
  json = SENTINEL;
  CHECK_STATUS(cs_defaults_get(CS_MAX_AGE + 1, &d), CS_ERR_INVALID_VALUE);
  CHECK(d == NULL);
  CHECK_STATUS(cs_defaults_get(10, NULL), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_defaults_json(1000, &json), CS_ERR_INVALID_VALUE);
  CHECK(json == NULL);
  CHECK_STATUS(cs_defaults_json(10, NULL), CS_ERR_INVALID_ARGUMENT);

  CHECK_STATUS(cs_defaults_setting_json(-1, "band", &json), CS_OK);
  CHECK(json != NULL && strcmp(json, "\"13-15\"") == 0);
  cs_free(json);
  CHECK_STATUS(cs_defaults_setting_json(14, "quiet_hours", &json), CS_OK);
  CHECK(json != NULL && strcmp(json, "{\"start\":\"21:00\",\"end\":\"07:00\"}") == 0);
  cs_free(json);
  CHECK_STATUS(cs_defaults_setting_json(16, "quiet_hours", &json), CS_OK);
  CHECK(json != NULL && strcmp(json, "{\"start\":\"22:00\",\"end\":\"07:00\"}") == 0);
  cs_free(json);
  CHECK_STATUS(cs_defaults_setting_json(30, "quiet_hours", &json), CS_OK);
  CHECK(json != NULL && strcmp(json, "null") == 0);
  cs_free(json);
  CHECK_STATUS(cs_defaults_setting_json(8, "age_assured", &json), CS_OK);
  CHECK(json != NULL && strcmp(json, "true") == 0);
  cs_free(json);
  json = SENTINEL;
  CHECK_STATUS(cs_defaults_setting_json(8, "no_such_setting", &json), CS_ERR_NOT_FOUND);
  CHECK(json == NULL);
  CHECK_STATUS(cs_defaults_setting_json(8, NULL, &json), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_defaults_setting_json(8, "band", NULL), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_defaults_setting_json(8, "ba\xffnd", &json), CS_ERR_INVALID_UTF8);
  CHECK_STATUS(cs_defaults_setting_json(151, "band", &json), CS_ERR_INVALID_VALUE);
}

/* Defaults for a band and for a birth date on a reference date (issue 6). */
static void test_defaults_band_and_birth_date(void) {
  static const char *const bands[] = {"0-5", "6-9", "10-12", "13-15", "16-17", "18+", NULL};
  char *json = SENTINEL;
  char expect[64];
  int i;
  for (i = 0; bands[i] != NULL; i++) {
    CHECK_STATUS(cs_defaults_band_json(bands[i], &json), CS_OK);
    snprintf(expect, sizeof expect, "\"band\":\"%s\"", bands[i]);
    CHECK(contains(json, expect) && contains(json, "\"age\":null"));
    cs_free(json);
  }
  CHECK_STATUS(cs_defaults_band_json("adult", &json), CS_OK);
  CHECK(contains(json, "\"band\":\"18+\""));
  cs_free(json);
  CHECK_STATUS(cs_defaults_band_json("13-15", &json), CS_OK);
  CHECK(contains(json, "\"quiet_hours\":{\"start\":\"21:00\",\"end\":\"07:00\"}"));
  cs_free(json);
  json = SENTINEL;
  CHECK_STATUS(cs_defaults_band_json("12-14", &json), CS_ERR_INVALID_VALUE);
  CHECK(json == NULL);
  CHECK_STATUS(cs_defaults_band_json(NULL, &json), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_defaults_band_json("0-5", NULL), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_defaults_band_json("\xff", &json), CS_ERR_INVALID_UTF8);

  /* The day before and the day of the 13th birthday. */
  CHECK_STATUS(cs_defaults_birth_date_json("2012-03-14", "2025-03-13", &json), CS_OK);
  CHECK(contains(json, "\"band\":\"10-12\",\"age\":12,\"age_assured\":true"));
  cs_free(json);
  CHECK_STATUS(cs_defaults_birth_date_json("2012-03-14", "2025-03-14", &json), CS_OK);
  CHECK(contains(json, "\"band\":\"13-15\",\"age\":13,"));
  cs_free(json);
  /* Born on 29 February: 18 on 1 March in a common year, not on 28 February. */
  CHECK_STATUS(cs_defaults_birth_date_json("2008-02-29", "2026-02-28", &json), CS_OK);
  CHECK(contains(json, "\"band\":\"16-17\",\"age\":17,"));
  cs_free(json);
  CHECK_STATUS(cs_defaults_birth_date_json("2008-02-29", "2026-03-01", &json), CS_OK);
  CHECK(contains(json, "\"band\":\"18+\",\"age\":18,"));
  cs_free(json);
  CHECK_STATUS(cs_defaults_birth_date_json("2015-06-01", NULL, &json), CS_OK); /* today */
  CHECK(contains(json, "\"age_assured\":true"));
  cs_free(json);
  json = SENTINEL;
  CHECK_STATUS(cs_defaults_birth_date_json("2025-03-14", "2025-03-13", &json), CS_ERR_INVALID_VALUE);
  CHECK(json == NULL);
  CHECK_STATUS(cs_defaults_birth_date_json("2011-02-29", "2025-01-01", &json), CS_ERR_INVALID_VALUE);
  CHECK_STATUS(cs_defaults_birth_date_json("14/03/2012", "2025-01-01", &json), CS_ERR_INVALID_VALUE);
  CHECK_STATUS(cs_defaults_birth_date_json("2012-03-14", "tomorrow", &json), CS_ERR_INVALID_VALUE);
  CHECK_STATUS(cs_defaults_birth_date_json(NULL, "2025-01-01", &json), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_defaults_birth_date_json("2012-03-14", NULL, NULL), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_defaults_birth_date_json("2012-03-1\xff", NULL, &json), CS_ERR_INVALID_UTF8);
}

/* A family policy (the complete example in Rules/) sets the locale and helplines; a bad policy
   fails with its file:line:column; a child the policy does not name is refused. */
static void test_policy(const char *rules_dir) {
  cs_engine_options o;
  cs_engine *e = NULL;
  char policy[4096], bad[64];
  char *err = NULL;
  hook_log log = {0};
  cs_context ctx;
  cs_verdict *v = NULL;
  const char *text = "this is just between us ok zorblax, dont tell ur mom";
  FILE *f;
  int fd;

  snprintf(policy, sizeof policy, "%s/family.policy", rules_dir);
  cs_engine_options_init(&o);
  o.policy_path = policy;
  o.child = "Sam";
  CHECK_STATUS(cs_engine_open_ex(&o, &e, &err), CS_OK);
  if (err != NULL) fprintf(stderr, "%s\n", err);
  cs_free(err);
  if (e != NULL) {
    cs_context_init(&ctx);
    ctx.sender_age = 40;
    ctx.recipient_age = 12;
    ctx.on_intervention = record_hook;
    ctx.on_intervention_ctx = &log;
    CHECK_STATUS(cs_classify(e, text, strlen(text), &ctx, &v, NULL), CS_OK);
    cs_free(v);
    /* The policy's country is GB, and Sam's own child helpline is Childline. */
    CHECK(log.by_audience[CS_AUDIENCE_RECIPIENT] == 1 && log.bad_fields == 0);
    CHECK(strcmp(log.recipient_signpost, "Childline") == 0);
    CHECK(strcmp(log.guardian_signpost, "NSPCC Helpline") == 0);
    CHECK(strncmp(log.last_locale, "en", 2) == 0);
    cs_engine_close(e);
  }
  o.child = "Samm";
  err = NULL;
  CHECK_STATUS(cs_engine_open_ex(&o, &e, &err), CS_ERR_INVALID_ARGUMENT);
  CHECK(e == NULL && contains(err, "Samm"));
  cs_free(err);

  /* A policy with a mistake: nothing is half-applied, and the message says where. */
  snprintf(bad, sizeof bad, "/tmp/childsafe-test-XXXXXX");
  fd = mkstemp(bad);
  CHECK(fd >= 0);
  if (fd < 0) return;
  f = fdopen(fd, "w");
  fputs("[family]\ncountry = GB\n\n[child Kim]\nage = 12\nquiet_hour = 20:00-07:00\n", f);
  fclose(f);
  cs_engine_options_init(&o);
  o.policy_path = bad;
  err = NULL;
  e = SENTINEL;
  {
    int status = cs_engine_open_ex(&o, &e, &err);
    CHECK(status == CS_ERR_SYNTAX || status == CS_ERR_INVALID_VALUE);
  }
  CHECK(e == NULL && contains(err, bad) && contains(err, ":6:") && contains(err, "quiet_hours"));
  if (err != NULL) printf("bad policy: %s\n", err);
  cs_free(err);
  unlink(bad);
}

static void test_rules_directory(const char *rules_dir, const cs_engine *embedded) {
  cs_engine *e = NULL;
  char *err = NULL;
  char *from_dir = NULL, *from_embedded = NULL;
  const char *text = "this is just between us ok, dont tell ur mom";
  CHECK_STATUS(cs_engine_open(rules_dir, &e, &err), CS_OK);
  if (err != NULL) fprintf(stderr, "%s\n", err);
  cs_free(err);
  if (e == NULL) return;
  /* The embedded rules are a copy of Rules/, so both engines give the same verdict. */
  CHECK_STATUS(cs_classify_json(e, text, strlen(text), NULL, &from_dir), CS_OK);
  CHECK_STATUS(cs_classify_json(embedded, text, strlen(text), NULL, &from_embedded), CS_OK);
  CHECK(from_dir != NULL && from_embedded != NULL && strcmp(from_dir, from_embedded) == 0);
  cs_free(from_dir);
  cs_free(from_embedded);
  cs_engine_close(e);

  /* Only the directory's rules: the same files as the embedded ones, so the same verdict. */
  {
    cs_engine_options o;
    cs_engine_options_init(&o);
    o.rules_path = rules_dir;
    o.replace_defaults = 1;
    CHECK_STATUS(cs_engine_open_ex(&o, &e, NULL), CS_OK);
    if (e != NULL) {
      CHECK_STATUS(cs_classify_json(e, text, strlen(text), NULL, &from_dir), CS_OK);
      CHECK(contains(from_dir, "\"categories\":[\"secrecy\"]"));
      cs_free(from_dir);
      cs_engine_close(e);
    }
  }
  test_policy(rules_dir);
}

/* Model files from `childsafe train` (CHILDSAFE_TEST_MODEL names one, made by capi.sh). */
static void test_engine_with_model(const cs_engine *e) {
  cs_engine *hybrid = SENTINEL;
  char *err = NULL;
  char *json = NULL;
  const char *model = getenv("CHILDSAFE_TEST_MODEL");

  CHECK_STATUS(cs_engine_with_model(NULL, "m.csm", &hybrid, NULL), CS_ERR_INVALID_ARGUMENT);
  CHECK(hybrid == NULL);
  CHECK_STATUS(cs_engine_with_model(e, NULL, &hybrid, NULL), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_engine_with_model(e, "m.csm", NULL, NULL), CS_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(cs_engine_with_model(e, "/nonexistent/model.csm", &hybrid, &err), CS_ERR_IO);
  CHECK(hybrid == NULL && contains(err, "/nonexistent/model.csm"));
  cs_free(err);
  err = NULL;
  CHECK_STATUS(cs_engine_with_model(e, "Tests/capi/test_api.c", &hybrid, &err), CS_ERR_CORRUPT);
  CHECK(hybrid == NULL && contains(err, "not a valid ChildSafe model"));
  cs_free(err);
  if (model == NULL) return;
  CHECK_STATUS(cs_engine_with_model(e, model, &hybrid, &err), CS_OK);
  CHECK(hybrid != NULL && hybrid != SENTINEL);
  /* The verdict's JSON carries the model's score; the original engine's does not. */
  CHECK_STATUS(cs_classify_json(hybrid, "see you at lunch", 16, NULL, &json), CS_OK);
  CHECK(contains(json, "\"model\":{\"score\":"));
  cs_free(json);
  CHECK_STATUS(cs_classify_json(e, "see you at lunch", 16, NULL, &json), CS_OK);
  CHECK(!contains(json, "\"model\""));
  cs_free(json);
  cs_engine_close(hybrid);
}

int main(int argc, char **argv) {
  cs_engine *e = NULL;
  char *err = NULL;

  test_library();
  test_engine_open();
  test_engine_open_ex();
  test_url_categories();
  test_localised_interventions();
  if (cs_engine_open(NULL, &e, &err) != CS_OK) {
    fprintf(stderr, "cannot open the default engine: %s\n", err ? err : "?");
    cs_free(err);
    return 1;
  }
  test_classify_json(e);
  test_classify(e);
  test_sender_trusted(e);
  test_engine_with_model(e);
  test_hook_per_call(e);
  test_sessions(e);
  test_hook_responses(e);
  test_rate_limit(e);
  test_session_outlives_engine();
  test_urls(e);
  test_defaults();
  test_defaults_band_and_birth_date();
  if (argc > 1) test_rules_directory(argv[1], e);
  cs_engine_close(e);

  printf("test_api: %d checks, %d failures (libchildsafe %s)\n", checks, failures, cs_version());
  return failures == 0 ? 0 : 1;
}
