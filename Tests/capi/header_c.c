/* The public header alone, compiled in strict C modes with every warning. */
#include <childsafe.h>

int main(void) {
  cs_context ctx = CS_CONTEXT_INIT;
  return ctx.size == sizeof(cs_context) ? 0 : 1;
}
