/*
 * A minimal C client of libchildsafe: classifies each line of standard input (or the arguments)
 * as one conversation, prints each verdict as JSON, reports interventions through the hook,
 * checks a URL and prints the defaults for an age.
 *
 *   cc main.c $(pkg-config --cflags --libs childsafe) -Wl,-rpath,$PREFIX/lib -o /tmp/childsafe-client
 *   printf 'hi\nhow old r u?\n' | /tmp/childsafe-client
 *   /tmp/childsafe-client "dont tell ur parents about us"
 * (PREFIX as given to `make install`; see docs/c-api.md.)
 */
#include <childsafe.h>

#include <stdio.h>
#include <string.h>

static int on_intervention(const cs_intervention *iv, void *ctx) {
  int *count = ctx;
  (*count)++;
  /* Show the audience the wording; never log message text (the record has none). A real app
     shows only the child's prompt in the child's app, the sender's in the sender's, and so on. */
  printf("  intervention for %s (%s, %s): %s\n", iv->audience, iv->kind, iv->category ? iv->category : "-",
         iv->message ? iv->message : "");
  if (iv->signpost_name != NULL)
    printf("    help: %s %s %s\n", iv->signpost_name, iv->signpost_phone ? iv->signpost_phone : "",
           iv->signpost_url ? iv->signpost_url : "");
  /* Tell the session it was shown, so it rate-limits the next ones for this audience;
     CS_INTERVENTION_SUPPRESSED would let the next one through. */
  return CS_INTERVENTION_SHOWN;
}

static int classify(cs_session *session, const char *text) {
  char *json = NULL;
  int status = cs_session_add_json(session, text, strlen(text), "{\"sender_age\":null,\"recipient_age\":12}", &json);
  if (status != CS_OK) {
    fprintf(stderr, "classify: %s\n", cs_status_str(status));
    return status;
  }
  printf("%s\n", json);
  cs_free(json);
  return CS_OK;
}

int main(int argc, char **argv) {
  cs_engine *engine = NULL;
  cs_session *session = NULL;
  char *err = NULL;
  char *json = NULL;
  char line[4096];
  int interventions = 0, status, i;

  if (strcmp(cs_version(), CS_VERSION_STRING) != 0)
    fprintf(stderr, "warning: header %s, library %s\n", CS_VERSION_STRING, cs_version());

  status = cs_engine_open(NULL, &engine, &err); /* NULL: the rules embedded in the library */
  if (status != CS_OK) {
    fprintf(stderr, "cannot open the engine: %s\n", err ? err : cs_status_str(status));
    cs_free(err);
    return 1;
  }
  if (cs_session_open(engine, "example-conversation", &session) != CS_OK) return 1;
  cs_session_set_intervention_hook(session, on_intervention, &interventions);

  if (argc > 1) {
    for (i = 1; i < argc; i++) classify(session, argv[i]);
  } else {
    while (fgets(line, sizeof line, stdin) != NULL) {
      line[strcspn(line, "\r\n")] = '\0';
      if (line[0] != '\0') classify(session, line);
    }
  }
  if (cs_session_verdict_json(session, &json) == CS_OK) {
    printf("conversation: %s (%d interventions)\n", json, interventions);
    cs_free(json);
  }
  if (cs_url_check_json(engine, "http://example.com/", 19, &json) == CS_OK) {
    printf("url: %s\n", json);
    cs_free(json);
  }
  if (cs_defaults_json(12, &json) == CS_OK) {
    printf("defaults for 12: %s\n", json);
    cs_free(json);
  }
  if (cs_defaults_setting_json(14, "quiet_hours", &json) == CS_OK) {
    printf("quiet hours at 14: %s\n", json);
    cs_free(json);
  }
  cs_session_close(session);
  cs_engine_close(engine);
  return 0;
}
