/*
 * cs_icu_url.h — ICU services for the URL filter: UTS #46 IDNA and UTS #39 spoof checks on host names.
 * Only <stdint.h>/<stddef.h> types (see cs_icu.h for why). All functions are thread-safe.
 */
#ifndef CS_ICU_URL_H
#define CS_ICU_URL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * UTS #46 nontransitional ToASCII of a UTF-8 domain name (uidna_nameToASCII_UTF8, with
 * CheckBidi, CheckContextJ and CheckContextO). Writes up to `cap` bytes to `dst`; returns the
 * length needed, or -1 when ICU reports an error or any IDNA processing error for the name
 * (disallowed code points, bad Punycode, invalid labels...).
 */
int32_t csicu_idna_to_ascii(const char *src, int32_t len, char *dst, int32_t cap);

/** UTS #46 ToUnicode of a UTF-8 domain name (decodes "xn--" labels); same conventions. */
int32_t csicu_idna_to_unicode(const char *src, int32_t len, char *dst, int32_t cap);

/**
 * The WHATWG URL Standard's "domain to ASCII" (beStrict false): UTS #46 nontransitional ToASCII with
 * CheckBidi and CheckJoiners, without UseSTD3ASCIIRules, CheckHyphens or VerifyDnsLength, so hyphen
 * positions, empty labels and lengths are not errors. Same conventions as csicu_idna_to_ascii; the
 * caller still checks the result for forbidden domain code points and emptiness.
 */
int32_t csicu_url_domain_to_ascii(const char *src, int32_t len, char *dst, int32_t cap);

/** Results of csicu_label_spoof (bit flags). */
enum {
  CSICU_SPOOF_MIXED_SCRIPT = 1,        /* fails UTS #39 "highly restrictive" (e.g. Latin + Cyrillic) */
  CSICU_SPOOF_WHOLE_SCRIPT_LATIN = 2,  /* one non-Latin script whose skeleton is all ASCII (e.g. Cyrillic "аррӏе") */
  CSICU_SPOOF_INVISIBLE = 4,           /* invisible characters or stacked identical marks */
  CSICU_SPOOF_MIXED_NUMBERS = 8        /* digits from different numbering systems */
};

/**
 * UTS #39 checks of one DNS label (UTF-8, already ToUnicode). Returns the CSICU_SPOOF_* flags
 * found (0 = looks fine) or -1 on error. `script` receives the label's one non-Common script as a
 * CSICU_SCRIPT_* class from cs_icu.h (CSICU_SCRIPT_COMMON when it has none or several).
 */
int32_t csicu_label_spoof(const char *src, int32_t len, int32_t *script);

#ifdef __cplusplus
}
#endif
#endif
