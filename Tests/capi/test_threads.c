/*
 * One engine shared by several threads (the header promises it is immutable and thread-safe),
 * each thread with its own sessions and hook context. Run under ThreadSanitizer by
 * scripts/tests.d/capi.sh. Every thread must get exactly the verdicts a single thread gets (JSON
 * with its interventions included) and see interventions through its own hooks.
 *
 * Usage: test_threads [THREADS [ITERATIONS]]   (default 4 x 40)
 */
#include <childsafe.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const MESSAGES[] = {
    "hey how was school today",
    "ur so mature for ur age, how old r u?",
    "this is just between us ok, dont tell ur mom",
    "add me on snap instead its more private",
    "see you at practice tomorrow, coach said 5pm",
    "s.e.c.r.e.t  pleeeease  \xd1\x95\xd0\xb5\xd1\x85  \xef\xbc\xa8\xef\xbd\x85\xef\xbd\x8c\xef\xbd\x8c\xef\xbd\x8f",
};
#define MESSAGE_COUNT (sizeof MESSAGES / sizeof MESSAGES[0])
static const char *const CONTEXT = "{\"sender_age\":30,\"recipient_age\":12,\"lang\":\"en\"}";
static const char *const URLS[] = {"http://example.com/", "https://Example.org/a/../b?q=1#frag", "ftp://[::1]/x"};
#define URL_COUNT (sizeof URLS / sizeof URLS[0])

static const cs_engine *shared_engine;
static char *expected_verdicts[MESSAGE_COUNT];
static char *expected_urls[URL_COUNT];
static int iterations = 40;

typedef struct worker {
  int index;
  int failures;
  int hook_calls;
} worker;

static int on_intervention(const cs_intervention *iv, void *ctx) {
  worker *w = ctx; /* per-thread context: no sharing */
  if (iv != NULL && iv->audience != NULL) w->hook_calls++;
  if (iv != NULL && iv->message != NULL && strstr(iv->message, "mature") != NULL) w->failures++; /* no text */
  return CS_INTERVENTION_SHOWN;
}

static void expect(worker *w, int ok, const char *what) {
  if (!ok) {
    w->failures++;
    fprintf(stderr, "thread %d: %s\n", w->index, what);
  }
}

static void *run(void *arg) {
  worker *w = arg;
  int i;
  size_t m;
  cs_session *session = NULL;
  char id[32];
  snprintf(id, sizeof id, "conv-%d", w->index);
  expect(w, cs_session_open(shared_engine, id, &session) == CS_OK, "session_open");
  expect(w, cs_session_set_intervention_hook(session, on_intervention, w) == CS_OK, "set hook");
  for (i = 0; i < iterations; i++) {
    for (m = 0; m < MESSAGE_COUNT; m++) {
      char *json = NULL;
      cs_verdict *v = NULL;
      cs_context ctx;
      expect(w, cs_classify_json(shared_engine, MESSAGES[m], strlen(MESSAGES[m]), CONTEXT, &json) == CS_OK,
             "classify_json");
      expect(w, json != NULL && strcmp(json, expected_verdicts[m]) == 0, "verdict differs from single-thread run");
      cs_free(json);
      cs_context_init(&ctx);
      ctx.sender_age = 30;
      ctx.recipient_age = 12;
      ctx.on_intervention = on_intervention;
      ctx.on_intervention_ctx = w;
      expect(w, cs_classify(shared_engine, MESSAGES[m], strlen(MESSAGES[m]), &ctx, &v, NULL) == CS_OK, "classify");
      cs_free(v);
      expect(w, cs_session_add(session, MESSAGES[m], strlen(MESSAGES[m]), &ctx, NULL, NULL) == CS_OK, "session_add");
    }
    for (m = 0; m < URL_COUNT; m++) {
      char *json = NULL;
      expect(w, cs_url_check_json(shared_engine, URLS[m], strlen(URLS[m]), &json) == CS_OK, "url_check_json");
      expect(w, json != NULL && strcmp(json, expected_urls[m]) == 0, "URL verdict differs from single-thread run");
      cs_free(json);
    }
    {
      char *json = NULL;
      expect(w, cs_defaults_json(i % 20, &json) == CS_OK, "defaults_json");
      cs_free(json);
      expect(w, cs_classify_json(shared_engine, "\xff", 1, NULL, &json) == CS_ERR_INVALID_UTF8, "bad UTF-8 status");
    }
    if (i % 10 == 9) { /* sessions come and go while others use the engine */
      cs_session_close(session);
      session = NULL;
      expect(w, cs_session_open(shared_engine, id, &session) == CS_OK, "session_reopen");
      expect(w, cs_session_set_intervention_hook(session, on_intervention, w) == CS_OK, "set hook");
    }
  }
  cs_session_close(session);
  return NULL;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 4;
  cs_engine *engine = NULL;
  pthread_t ids[64];
  worker workers[64];
  int t, failures = 0, hooks = 0;
  size_t m;
  if (argc > 2) iterations = atoi(argv[2]);
  if (threads < 1 || threads > 64 || iterations < 1) return 2;
  if (cs_engine_open(NULL, &engine, NULL) != CS_OK) return 1;
  shared_engine = engine;
  for (m = 0; m < MESSAGE_COUNT; m++)
    if (cs_classify_json(engine, MESSAGES[m], strlen(MESSAGES[m]), CONTEXT, &expected_verdicts[m]) != CS_OK) return 1;
  for (m = 0; m < URL_COUNT; m++)
    if (cs_url_check_json(engine, URLS[m], strlen(URLS[m]), &expected_urls[m]) != CS_OK) return 1;
  /* Warm-up: every path the threads take, once, before they start. Lazy one-time initialisation
     (swift_once globals such as the defaults table, runtime metadata) synchronises with atomics
     inside the statically linked Swift runtime, which ThreadSanitizer does not see when the
     library is not instrumented; it would report the first reads of such globals as races. The
     engine and everything the threads share stay under test: they are used again by every thread. */
  {
    worker warm = {-1, 0, 0};
    cs_session *session = NULL;
    char *json = NULL;
    cs_context ctx;
    cs_context_init(&ctx);
    ctx.recipient_age = 12;
    ctx.on_intervention = on_intervention;
    ctx.on_intervention_ctx = &warm;
    if (cs_defaults_json(12, &json) != CS_OK) return 1;
    cs_free(json);
    if (cs_session_open(engine, "warm-up", &session) != CS_OK) return 1;
    for (m = 0; m < MESSAGE_COUNT; m++)
      if (cs_session_add(session, MESSAGES[m], strlen(MESSAGES[m]), &ctx, NULL, NULL) != CS_OK) return 1;
    cs_session_close(session);
    if (warm.failures != 0 || warm.hook_calls == 0) return 1;
  }

  for (t = 0; t < threads; t++) {
    workers[t].index = t;
    workers[t].failures = 0;
    workers[t].hook_calls = 0;
    if (pthread_create(&ids[t], NULL, run, &workers[t]) != 0) return 1;
  }
  for (t = 0; t < threads; t++) {
    pthread_join(ids[t], NULL);
    failures += workers[t].failures;
    hooks += workers[t].hook_calls;
    /* Every thread classifies flagged messages to a 12-year-old: each sees interventions. */
    if (workers[t].hook_calls == 0) {
      failures++;
      fprintf(stderr, "thread %d: no interventions\n", t);
    }
  }
  for (m = 0; m < MESSAGE_COUNT; m++) cs_free(expected_verdicts[m]);
  for (m = 0; m < URL_COUNT; m++) cs_free(expected_urls[m]);
  cs_engine_close(engine);
  printf("test_threads: %d threads x %d iterations, %d failures, %d interventions\n", threads, iterations, failures,
         hooks);
  return failures == 0 ? 0 : 1;
}
