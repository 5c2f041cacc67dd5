/*
 * Compile-time checks of the ABI promises made by childsafe.h. The functions themselves are
 * implemented in Swift (Sources/ChildSafeCAPI, `@c @implementation`); this target only carries
 * the header to the Swift module and to C clients.
 */
#include "childsafe.h"

_Static_assert(sizeof(cs_status) == sizeof(int), "cs_status must be int-sized");
_Static_assert(sizeof(cs_risk) == sizeof(int), "cs_risk must be int-sized");
_Static_assert(CS_OK == 0, "CS_OK must be 0");
_Static_assert(offsetof(cs_context, size) == 0, "cs_context must start with its size");
_Static_assert(offsetof(cs_engine_options, size) == 0, "cs_engine_options must start with its size");
_Static_assert(sizeof(cs_audience) == sizeof(int), "cs_audience must be int-sized");
_Static_assert(sizeof(cs_intervention_response) == sizeof(int), "cs_intervention_response must be int-sized");
_Static_assert(CS_INTERVENTION_SHOWN == 0, "a hook that returns 0 reports the intervention as shown");
