/* The only translation unit of the normalisation shim that sees ICU's headers (see cs_icu.h). */
#include "cs_icu.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/uversion.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const UNormalizer2 *nfkc_cf = NULL;
static const UNormalizer2 *nfd = NULL;
static const UNormalizer2 *nfc = NULL;
static USpoofChecker *spoof = NULL;
static char version_text[U_MAX_VERSION_STRING_LENGTH] = "unknown";

static void init_once(void) {
  UErrorCode status = U_ZERO_ERROR;
  nfkc_cf = unorm2_getNFKCCasefoldInstance(&status);
  if (U_FAILURE(status)) nfkc_cf = NULL;
  status = U_ZERO_ERROR;
  nfd = unorm2_getNFDInstance(&status);
  if (U_FAILURE(status)) nfd = NULL;
  status = U_ZERO_ERROR;
  nfc = unorm2_getNFCInstance(&status);
  if (U_FAILURE(status)) nfc = NULL;
  status = U_ZERO_ERROR;
  spoof = uspoof_open(&status);
  if (U_FAILURE(status)) spoof = NULL;
  UVersionInfo v;
  u_getVersion(v);
  u_versionToString(v, version_text);
}

const char *csicu_version(void) {
  pthread_once(&once, init_once);
  return version_text;
}

int csicu_available(void) {
  pthread_once(&once, init_once);
  return nfkc_cf != NULL && nfd != NULL && nfc != NULL && spoof != NULL;
}

int32_t csicu_fold(const uint16_t *src, int32_t len, int strip_marks, uint16_t *dst, int32_t cap) {
  pthread_once(&once, init_once);
  if (!nfkc_cf || len < 0 || (len > 0 && !src) || cap < 0 || (cap > 0 && !dst)) return -1;
  UChar folded[64];
  UErrorCode status = U_ZERO_ERROR;
  int32_t n = unorm2_normalize(nfkc_cf, (const UChar *)src, len, folded, 64, &status);
  if (U_FAILURE(status)) return -1; /* a segment never folds to more than 64 units in practice */
  if (!strip_marks) {
    if (n <= cap) memcpy(dst, folded, (size_t)n * sizeof(UChar));
    return n;
  }
  UChar decomposed[128];
  status = U_ZERO_ERROR;
  int32_t d = unorm2_normalize(nfd, folded, n, decomposed, 128, &status);
  if (U_FAILURE(status)) return -1;
  UChar kept[128];
  int32_t k = 0;
  for (int32_t i = 0; i < d;) {
    UChar32 c;
    int32_t start = i;
    U16_NEXT(decomposed, i, d, c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    for (int32_t j = start; j < i; j++) kept[k++] = decomposed[j];
  }
  status = U_ZERO_ERROR;
  int32_t m = unorm2_normalize(nfc, kept, k, (UChar *)dst, cap, &status);
  if (status == U_BUFFER_OVERFLOW_ERROR) return m;
  if (U_FAILURE(status)) return -1;
  return m;
}

int csicu_fold_boundary_before(uint32_t cp) {
  pthread_once(&once, init_once);
  if (!nfkc_cf) return 1;
  return unorm2_hasBoundaryBefore(nfkc_cf, (UChar32)cp) ? 1 : 0;
}

int32_t csicu_skeleton(const uint16_t *src, int32_t len, uint16_t *dst, int32_t cap) {
  pthread_once(&once, init_once);
  if (!spoof || len < 0 || (len > 0 && !src) || cap < 0 || (cap > 0 && !dst)) return -1;
  UErrorCode status = U_ZERO_ERROR;
  int32_t n = uspoof_getSkeleton(spoof, 0, (const UChar *)src, len, (UChar *)dst, cap, &status);
  if (status == U_BUFFER_OVERFLOW_ERROR) return n;
  if (U_FAILURE(status)) return -1;
  return n;
}

int csicu_script_class(uint32_t cp) {
  UErrorCode status = U_ZERO_ERROR;
  UScriptCode s = uscript_getScript((UChar32)cp, &status);
  if (U_FAILURE(status)) return CSICU_SCRIPT_OTHER;
  switch (s) {
  case USCRIPT_COMMON:
  case USCRIPT_INHERITED:
    return CSICU_SCRIPT_COMMON;
  case USCRIPT_LATIN:
    return CSICU_SCRIPT_LATIN;
  case USCRIPT_CYRILLIC:
    return CSICU_SCRIPT_CYRILLIC;
  case USCRIPT_GREEK:
    return CSICU_SCRIPT_GREEK;
  case USCRIPT_HAN:
  case USCRIPT_HIRAGANA:
  case USCRIPT_KATAKANA:
  case USCRIPT_THAI:
  case USCRIPT_LAO:
  case USCRIPT_KHMER:
  case USCRIPT_MYANMAR:
    return CSICU_SCRIPT_DICTIONARY;
  default:
    return CSICU_SCRIPT_OTHER;
  }
}

int csicu_char_class(uint32_t cp) {
  UChar32 c = (UChar32)cp;
  if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) {
    return c == 0x200D ? CSICU_CHAR_EMOJI_MODIFIER : CSICU_CHAR_IGNORABLE;
  }
  if (u_hasBinaryProperty(c, UCHAR_EMOJI_MODIFIER) || c == 0x20E3) return CSICU_CHAR_EMOJI_MODIFIER;
  if (u_hasBinaryProperty(c, UCHAR_REGIONAL_INDICATOR)) return CSICU_CHAR_EMOJI;
  if (u_isdigit(c)) return CSICU_CHAR_DIGIT;
  int8_t t = u_charType(c);
  if (t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK || t == U_COMBINING_SPACING_MARK) return CSICU_CHAR_MARK;
  if (u_isUAlphabetic(c)) return CSICU_CHAR_LETTER;
  if (u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC)) return CSICU_CHAR_EMOJI;
  if (u_isUWhiteSpace(c)) return CSICU_CHAR_SPACE;
  return CSICU_CHAR_OTHER;
}

/* A word break iterator per thread: opening one costs far more than reusing it. */
static pthread_key_t brk_key;
static pthread_once_t brk_once = PTHREAD_ONCE_INIT;
static void brk_free(void *p) { ubrk_close((UBreakIterator *)p); }
static void brk_init(void) { pthread_key_create(&brk_key, brk_free); }

int32_t csicu_words(const uint16_t *src, int32_t len, int32_t *spans, int32_t cap) {
  if (len < 0 || (len > 0 && !src) || cap < 0 || (cap > 0 && !spans)) return -1;
  pthread_once(&brk_once, brk_init);
  UBreakIterator *bi = (UBreakIterator *)pthread_getspecific(brk_key);
  UErrorCode status = U_ZERO_ERROR;
  if (!bi) {
    bi = ubrk_open(UBRK_WORD, "", NULL, 0, &status);
    if (U_FAILURE(status)) return -1;
    pthread_setspecific(brk_key, bi);
  }
  ubrk_setText(bi, (const UChar *)src, len, &status);
  if (U_FAILURE(status)) return -1;
  int32_t count = 0;
  int32_t start = ubrk_first(bi);
  for (int32_t end = ubrk_next(bi); end != UBRK_DONE; start = end, end = ubrk_next(bi)) {
    if (ubrk_getRuleStatus(bi) < UBRK_WORD_NONE_LIMIT) continue;
    if (count < cap) {
      spans[2 * count] = start;
      spans[2 * count + 1] = end;
    }
    count++;
  }
  ubrk_setText(bi, NULL, 0, &status); /* drop the reference to the caller's buffer */
  return count;
}
