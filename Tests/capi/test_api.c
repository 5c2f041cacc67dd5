/*
 * Tests every function of childsafe.h against the installed library: results, every error path,
 * ownership (run under valgrind and AddressSanitizer by scripts/tests.d/capi.sh) and the hook.
 *
 * Assertions marked TOLERANT hold for both the placeholder engines and the real ones; they are
 * the ones to tighten once the classifier, URL filter and defaults land (see docs/c-api.md).
 *
 * Usage: test_api [RULES_DIR]   With RULES_DIR (the repository's Rules/), also opens an engine
 *        from that directory, which must succeed and classify like the embedded defaults.
 */
#include <childsafe.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

  /* TOLERANT: the placeholder URL filter ignores its lists; the real one must report CS_ERR_IO. */
  o.url_lists = lists;
  o.url_list_count = 1;
  {
    int s = cs_engine_open_ex(&o, &e, &err);
    CHECK(s == CS_OK || s == CS_ERR_IO);
    if (s == CS_OK) {
      CHECK(e != NULL);
      cs_engine_close(e);
    } else {
      CHECK(e == NULL && contains(err, "list.txt"));
      cs_free(err);
    }
  }

  cs_engine_options_init(&o);
  o.url_categories = "adult, gambling";
  {
    /* TOLERANT: category names are the URL filter's to define; unknown names give INVALID_VALUE. */
    int s = cs_engine_open_ex(&o, &e, NULL);
    CHECK(s == CS_OK || s == CS_ERR_INVALID_VALUE);
    if (s == CS_OK) cs_engine_close(e);
  }
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
  CHECK(strncmp(json, "{\"flagged\":", 11) == 0);
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

/* ---------------------------------------------------------------------------------------------- */
/* Hooks */

typedef struct hook_log {
  int calls;
  int bad_fields;
  int leaked_text;
  int wrong_conversation;
  const char *expected_conversation; /* NULL: not checked */
} hook_log;

static const char *const SECRET_TOKEN = "zorblax";

static int one_of(const char *s, const char *const *set) {
  for (; *set != NULL; set++)
    if (s != NULL && strcmp(s, *set) == 0) return 1;
  return 0;
}

static void record_hook(const cs_intervention *iv, void *ctx) {
  static const char *const audiences[] = {"sender", "recipient", "guardian", NULL};
  static const char *const kinds[] = {"deterrence", "safety_prompt", "guardian_notice", "help", NULL};
  static const char *const risks[] = {"none", "low", "medium", "high", "critical", NULL};
  hook_log *log = ctx;
  const char *fields[9];
  int i;
  log->calls++;
  if (iv == NULL) {
    log->bad_fields++;
    return;
  }
  if (!one_of(iv->audience, audiences) || !one_of(iv->kind, kinds) || !one_of(iv->risk, risks) ||
      iv->message == NULL)
    log->bad_fields++;
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

static void test_hook_per_call(const cs_engine *e) {
  hook_log log = {0, 0, 0, 0, "conv-hook"};
  cs_context ctx;
  cs_verdict *v = NULL;
  size_t i;
  int flagged = 0;

  cs_context_init(&ctx);
  ctx.sender_age = 31;
  ctx.recipient_age = 12;
  ctx.conversation_id = "conv-hook";
  ctx.on_intervention = record_hook;
  ctx.on_intervention_ctx = &log;
  for (i = 0; i < sizeof GROOMING / sizeof GROOMING[0]; i++) {
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
  /* TOLERANT: with the real classifier, tighten to flagged > 0 and log.calls > 0. */
  printf("hook (per call): %d of %zu grooming messages flagged, %d interventions\n", flagged,
         sizeof GROOMING / sizeof GROOMING[0], log.calls);

  /* Benign messages call no hook. */
  log.calls = 0;
  CHECK_STATUS(cs_classify(e, "see you at practice tomorrow", 28, &ctx, &v, NULL), CS_OK);
  cs_free(v);
  CHECK(log.calls == 0);
}

static void test_sessions(const cs_engine *e) {
  cs_session *s = SENTINEL;
  hook_log log = {0, 0, 0, 0, "conv-1"};
  cs_conversation_verdict *cv = SENTINEL;
  cs_verdict *v = NULL;
  char *json = NULL;
  char *err = NULL;
  size_t i, n = sizeof GROOMING / sizeof GROOMING[0];
  cs_context ctx;

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
    /* TOLERANT: with the real classifier this conversation must be flagged with several stages. */
    printf("session: flagged=%d flagged_at=%ld risk=%d stages=%zu, %d interventions\n", cv->flagged,
           cv->flagged_at, cv->risk, cv->stage_count, log.calls);
    if (cv->flagged) CHECK(log.calls > 0);
    cs_free(cv);
  }
  CHECK(log.bad_fields == 0 && log.leaked_text == 0 && log.wrong_conversation == 0);

  /* A failed add changes nothing. */
  CHECK_STATUS(cs_session_add(s, "\xff", 1, NULL, &v, &err), CS_ERR_INVALID_UTF8);
  CHECK(v == NULL && err != NULL);
  cs_free(err);
  CHECK_STATUS(cs_session_add(s, "hi", 2, &ctx, NULL, NULL), CS_OK); /* out_verdict is optional */
  CHECK_STATUS(cs_session_verdict_json(s, &json), CS_OK);
  CHECK(strncmp(json, "{\"flagged\":", 11) == 0);
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
  CHECK(strncmp(json, "{\"flagged\":", 11) == 0);
  CHECK(contains(json, "\"conversation\":{\"flagged\":"));
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
    /* TOLERANT: the real filter gives "http://example.com/a/c". */
    printf("url: canonical=%s blocked=%d reason=%s\n", u->canonical, u->blocked, u->reason);
  }
  CHECK_STATUS(cs_url_check_json(e, url, strlen(url), &json), CS_OK);
  CHECK(strncmp(json, "{\"canonical\":", 13) == 0);
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
    free(big);
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
    CHECK_STATUS(cs_defaults_get(age, &d), CS_OK);
    CHECK(d != NULL && one_of(d->band, bands) && d->age == age && d->age_assured == 1);
    /* TOLERANT: tighten to the exact band per age (5/6, 9/10, 12/13, 15/16, 17/18 boundaries). */
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
}

int main(int argc, char **argv) {
  cs_engine *e = NULL;
  char *err = NULL;

  test_library();
  test_engine_open();
  test_engine_open_ex();
  if (cs_engine_open(NULL, &e, &err) != CS_OK) {
    fprintf(stderr, "cannot open the default engine: %s\n", err ? err : "?");
    cs_free(err);
    return 1;
  }
  test_classify_json(e);
  test_classify(e);
  test_hook_per_call(e);
  test_sessions(e);
  test_session_outlives_engine();
  test_urls(e);
  test_defaults();
  if (argc > 1) test_rules_directory(argv[1], e);
  cs_engine_close(e);

  printf("test_api: %d checks, %d failures (libchildsafe %s)\n", checks, failures, cs_version());
  return failures == 0 ? 0 : 1;
}
