/*
 * cs_icu.h — the small C shim between ChildSafe and system ICU.
 *
 * Only <stdint.h>/<stddef.h> types appear here: Swift modules import this header, and a Swift
 * module that could see ICU's own headers would clash with Foundation's private ICU copy.
 * ICU's entry points are version-renamed macros (unorm2_normalize -> unorm2_normalize_72),
 * which Swift cannot call by name; these wrappers work on any ICU version.
 *
 * All functions are thread-safe. Functions that fill a buffer return the length needed
 * (which may exceed `cap`; nothing past `cap` is written) or a negative value on error.
 */
#ifndef CS_ICU_H
#define CS_ICU_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** ICU's version, e.g. "72.1". Static storage. */
const char *csicu_version(void);

/** 1 when ICU's data loaded and the normalizers are usable, 0 otherwise. */
int csicu_available(void);

/**
 * Folds one normalization segment (a starter and the marks that follow it), UTF-16 in and out:
 * NFKC_Casefold (compatibility forms, case, default-ignorable removal), then, when
 * `strip_marks` is non-zero, nonspacing marks removed after canonical decomposition (é -> e).
 */
int32_t csicu_fold(const uint16_t *src, int32_t len, int strip_marks, uint16_t *dst, int32_t cap);

/** 1 when NFKC_Casefold has a normalization boundary before `cp` (a new segment may start). */
int csicu_fold_boundary_before(uint32_t cp);

/** UTS #39 confusable skeleton of `src` (e.g. Cyrillic "а" -> Latin "a"). */
int32_t csicu_skeleton(const uint16_t *src, int32_t len, uint16_t *dst, int32_t cap);

/** Script classes used by ChildSafe (coarser than ICU's UScriptCode). */
enum {
  CSICU_SCRIPT_COMMON = 0,   /* Common and Inherited: digits, punctuation, emoji, combining marks */
  CSICU_SCRIPT_LATIN = 1,
  CSICU_SCRIPT_CYRILLIC = 2,
  CSICU_SCRIPT_GREEK = 3,
  CSICU_SCRIPT_DICTIONARY = 4, /* scripts written without spaces: Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar */
  CSICU_SCRIPT_OTHER = 5
};
int csicu_script_class(uint32_t cp);

/** Character properties used by the tokenizer. */
enum {
  CSICU_CHAR_OTHER = 0,
  CSICU_CHAR_LETTER = 1,     /* alphabetic, including letters of every script */
  CSICU_CHAR_DIGIT = 2,      /* decimal digit */
  CSICU_CHAR_MARK = 3,       /* combining mark */
  CSICU_CHAR_IGNORABLE = 4,  /* default-ignorable (zero-width, bidi controls, variation selectors) */
  CSICU_CHAR_EMOJI = 5,      /* extended pictographic, regional indicator */
  CSICU_CHAR_SPACE = 6,      /* white space */
  CSICU_CHAR_EMOJI_MODIFIER = 7 /* skin tones, ZWJ-joined parts, keycap */
};
int csicu_char_class(uint32_t cp);

/**
 * Word boundaries of `src` (UTF-16) by ICU's word break iterator (dictionary segmentation for
 * Thai, Chinese, Japanese...). Writes up to `cap` pairs [start, end) of UTF-16 offsets of the
 * segments that are words (letters, numbers, ideographs, kana) into `spans`; returns the count
 * needed, or -1 on failure.
 */
int32_t csicu_words(const uint16_t *src, int32_t len, int32_t *spans, int32_t cap);

#ifdef __cplusplus
}
#endif
#endif
