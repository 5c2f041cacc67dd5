// The public header must compile as C++ too (extern "C", no C-only constructs).
#include <childsafe.h>

int main() {
  cs_context ctx = CS_CONTEXT_INIT;
  cs_engine *engine = nullptr;
  char *json = nullptr;
  cs_context_init(&ctx);
  if (cs_engine_open(nullptr, &engine, nullptr) != CS_OK) return 1;
  int status = cs_classify_json(engine, "hi", 2, nullptr, &json);
  cs_free(json);
  cs_engine_close(engine);
  return status == CS_OK && ctx.size == sizeof(cs_context) ? 0 : 1;
}
