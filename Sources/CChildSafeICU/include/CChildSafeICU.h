/* Umbrella header of the ICU shim: list every public header here, so that adding one also
 * invalidates compiled module caches (an umbrella directory alone does not). */
#include "cs_icu.h"
#include "cs_icu_url.h"
