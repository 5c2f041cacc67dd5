/* ICU for the URL filter (see cs_icu_url.h): the only file of that part that sees ICU's headers. */
#include "cs_icu_url.h"
#include "cs_icu.h"

#include <pthread.h>
#include <string.h>
#include <unicode/uidna.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>

static pthread_once_t url_once = PTHREAD_ONCE_INIT;
static UIDNA *idna = NULL;
static UIDNA *url_idna = NULL;          /* the WHATWG URL Standard's "domain to ASCII" */
static USpoofChecker *checker = NULL;   /* restriction level, invisible, mixed numbers */
static USpoofChecker *skeletons = NULL; /* default checker, for skeletons */

static void url_init(void) {
  UErrorCode status = U_ZERO_ERROR;
  idna = uidna_openUTS46(UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_NONTRANSITIONAL_TO_UNICODE | UIDNA_CHECK_BIDI |
                             UIDNA_CHECK_CONTEXTJ | UIDNA_CHECK_CONTEXTO,
                         &status);
  if (U_FAILURE(status)) idna = NULL;
  /* URL Standard: CheckBidi and CheckJoiners on, UseSTD3ASCIIRules and Transitional_Processing off. */
  status = U_ZERO_ERROR;
  url_idna = uidna_openUTS46(UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ, &status);
  if (U_FAILURE(status)) url_idna = NULL;
  status = U_ZERO_ERROR;
  checker = uspoof_open(&status);
  if (U_SUCCESS(status)) {
    uspoof_setChecks(checker, USPOOF_RESTRICTION_LEVEL | USPOOF_INVISIBLE | USPOOF_MIXED_NUMBERS, &status);
    uspoof_setRestrictionLevel(checker, USPOOF_HIGHLY_RESTRICTIVE);
  }
  if (U_FAILURE(status)) checker = NULL;
  status = U_ZERO_ERROR;
  skeletons = uspoof_open(&status);
  if (U_FAILURE(status)) skeletons = NULL;
}

static int32_t convert(int to_ascii, const char *src, int32_t len, char *dst, int32_t cap) {
  pthread_once(&url_once, url_init);
  if (!idna || len < 0 || (len > 0 && !src) || cap < 0 || (cap > 0 && !dst)) return -1;
  UIDNAInfo info = UIDNA_INFO_INITIALIZER;
  UErrorCode status = U_ZERO_ERROR;
  int32_t n = to_ascii ? uidna_nameToASCII_UTF8(idna, src, len, dst, cap, &info, &status)
                       : uidna_nameToUnicodeUTF8(idna, src, len, dst, cap, &info, &status);
  if (status == U_BUFFER_OVERFLOW_ERROR || status == U_STRING_NOT_TERMINATED_WARNING) status = U_ZERO_ERROR;
  if (U_FAILURE(status) || info.errors != 0) return -1;
  return n;
}

int32_t csicu_idna_to_ascii(const char *src, int32_t len, char *dst, int32_t cap) {
  return convert(1, src, len, dst, cap);
}

int32_t csicu_idna_to_unicode(const char *src, int32_t len, char *dst, int32_t cap) {
  return convert(0, src, len, dst, cap);
}

/* The URL Standard runs ToASCII with CheckHyphens and VerifyDnsLength off: errors those checks
   report are not failures for it. */
#define URL_IGNORED_ERRORS                                                                                      \
  (UIDNA_ERROR_LEADING_HYPHEN | UIDNA_ERROR_TRAILING_HYPHEN | UIDNA_ERROR_HYPHEN_3_4 | UIDNA_ERROR_EMPTY_LABEL | \
   UIDNA_ERROR_LABEL_TOO_LONG | UIDNA_ERROR_DOMAIN_NAME_TOO_LONG)

int32_t csicu_url_domain_to_ascii(const char *src, int32_t len, char *dst, int32_t cap) {
  pthread_once(&url_once, url_init);
  if (!url_idna || len < 0 || (len > 0 && !src) || cap < 0 || (cap > 0 && !dst)) return -1;
  UIDNAInfo info = UIDNA_INFO_INITIALIZER;
  UErrorCode status = U_ZERO_ERROR;
  int32_t n = uidna_nameToASCII_UTF8(url_idna, src, len, dst, cap, &info, &status);
  if (status == U_BUFFER_OVERFLOW_ERROR || status == U_STRING_NOT_TERMINATED_WARNING) status = U_ZERO_ERROR;
  if (U_FAILURE(status) || (info.errors & ~(uint32_t)URL_IGNORED_ERRORS) != 0) return -1;
  return n;
}

int32_t csicu_label_spoof(const char *src, int32_t len, int32_t *script) {
  pthread_once(&url_once, url_init);
  if (script) *script = CSICU_SCRIPT_COMMON;
  if (!checker || !skeletons || len < 0 || (len > 0 && !src) || len > 1024) return -1;
  UChar text[1100];
  int32_t units = 0;
  UErrorCode status = U_ZERO_ERROR;
  u_strFromUTF8(text, 1100, &units, src, len, &status);
  if (U_FAILURE(status) || units > 1100) return -1;

  int32_t flags = 0;
  status = U_ZERO_ERROR;
  int32_t result = uspoof_check(checker, text, units, NULL, &status);
  if (U_FAILURE(status)) return -1;
  if (result & USPOOF_RESTRICTION_LEVEL) flags |= CSICU_SPOOF_MIXED_SCRIPT;
  if (result & USPOOF_INVISIBLE) flags |= CSICU_SPOOF_INVISIBLE;
  if (result & USPOOF_MIXED_NUMBERS) flags |= CSICU_SPOOF_MIXED_NUMBERS;

  /* The label's single non-Common script, if it has one. */
  UScriptCode found = USCRIPT_COMMON;
  int several = 0;
  for (int32_t i = 0; i < units;) {
    UChar32 c;
    U16_NEXT(text, i, units, c);
    UErrorCode e = U_ZERO_ERROR;
    UScriptCode s = uscript_getScript(c, &e);
    if (U_FAILURE(e) || s == USCRIPT_COMMON || s == USCRIPT_INHERITED) continue;
    if (found == USCRIPT_COMMON) found = s;
    else if (found != s) several = 1;
  }
  if (!several && found != USCRIPT_COMMON) {
    /* Map the script to ChildSafe's classes through a representative code point of the label. */
    for (int32_t i = 0; i < units;) {
      UChar32 c;
      U16_NEXT(text, i, units, c);
      UErrorCode e = U_ZERO_ERROR;
      if (uscript_getScript(c, &e) == found) {
        if (script) *script = csicu_script_class((uint32_t)c);
        break;
      }
    }
    if (found != USCRIPT_LATIN) {
      /* Whole-script confusable with Latin: every character's skeleton is ASCII letters/digits/hyphen. */
      UChar skeleton[2200];
      status = U_ZERO_ERROR;
      int32_t n = uspoof_getSkeleton(skeletons, 0, text, units, skeleton, 2200, &status);
      if (U_SUCCESS(status) && n > 0) {
        int ascii = 1;
        for (int32_t i = 0; i < n; i++) {
          UChar c = skeleton[i];
          if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
            ascii = 0;
            break;
          }
        }
        if (ascii) flags |= CSICU_SPOOF_WHOLE_SCRIPT_LATIN;
      }
    }
  }
  return flags;
}
