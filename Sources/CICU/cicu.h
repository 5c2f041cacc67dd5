/* System ICU, seen only by the C shim target CChildSafeICU (never by Swift code). */
#include <unicode/utypes.h>
