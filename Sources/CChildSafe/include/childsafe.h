/*
 * childsafe.h — the stable C API of ChildSafe, an embeddable, on-device child-safety filter.
 *
 * This header is hand-written and is the ABI contract: the Swift implementation is checked
 * against it by the compiler (`@c @implementation`). Link with `pkg-config --libs childsafe`.
 *
 * Conventions, true of every function unless its comment says otherwise:
 *  - Fallible functions return an `int` status: 0 (`CS_OK`) on success, a `cs_status` value
 *    otherwise; `cs_status_str()` describes it. No function aborts the process on bad input:
 *    NULL pointers, invalid UTF-8, oversized input and malformed JSON all return a status.
 *  - Output pointers (`out`, `out_json`, ...) are set to NULL first and receive a value only on
 *    success. Whatever the library returns through them is owned by the caller and must be
 *    released with `cs_free()` (never with the C library's `free()`): strings and result structs
 *    are each one block, so a single `cs_free()` releases the struct and every string it holds.
 *  - `char **errmsg` parameters are optional (pass NULL). On failure they receive a message for
 *    people (file:line:column where it applies), which the caller frees with `cs_free()`; on
 *    success they are set to NULL.
 *  - Text is UTF-8 given as (pointer, length in bytes); it need not be NUL-terminated and may
 *    contain NUL bytes. A NULL pointer is accepted only with length 0 (the empty text).
 *    Other strings (paths, ids, JSON) are NUL-terminated.
 *  - Privacy: the library never logs, stores or sends message text or URLs. Verdicts and hook
 *    records carry rule ids, categories, scores and byte spans, never the text.
 *  - Threads: a `cs_engine` is immutable and may be used from any number of threads at once.
 *    A `cs_session` may be used by one thread at a time (it may move between threads).
 *    Functions without a handle are thread-safe.
 *
 * ABI policy: symbols are versioned (`CHILDSAFE_1`) and the SONAME is `libchildsafe.so.1`.
 * Within major ABI 1, functions are only added, and structs the caller fills (`cs_context`,
 * `cs_engine_options`) start with a `size` member so that new fields can be appended: the library
 * defaults the members an older caller's `size` does not cover, and refuses a newer caller's
 * larger struct only when members it does not know are set (non-zero).
 */
#ifndef CHILDSAFE_H
#define CHILDSAFE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @name Versions
 *  The header's version; compare with `cs_version()` / `cs_version_number()` at run time. @{ */
#define CS_VERSION_MAJOR 0
#define CS_VERSION_MINOR 1
#define CS_VERSION_PATCH 0
#define CS_VERSION_STRING "0.1.0"
/** MAJOR * 10000 + MINOR * 100 + PATCH. */
#define CS_VERSION_NUMBER (CS_VERSION_MAJOR * 10000 + CS_VERSION_MINOR * 100 + CS_VERSION_PATCH)
/** @} */

/** @name Input limits
 *  Inputs larger than these return `CS_ERR_TOO_LARGE` without being read past the limit. @{ */
#define CS_MAX_TEXT_BYTES (1024 * 1024)  /**< message text, in bytes */
#define CS_MAX_URL_BYTES 65536           /**< URL, in bytes (the same limit as the Swift API's) */
#define CS_MAX_JSON_BYTES 65536          /**< context_json, in bytes */
#define CS_MAX_ID_BYTES 1024             /**< language codes, conversation and sender ids, categories */
#define CS_MAX_AGE 150                   /**< the largest age accepted; negative ages mean unknown */
/** @} */

/** Status codes. 0 is success; new codes may be added (treat unknown ones as failures). */
typedef enum cs_status {
  CS_OK = 0,                   /**< success */
  CS_ERR_INVALID_ARGUMENT = 1, /**< a required pointer is NULL, or an argument is not accepted */
  CS_ERR_INVALID_UTF8 = 2,     /**< text is not valid UTF-8 */
  CS_ERR_TOO_LARGE = 3,        /**< input is larger than its documented limit */
  CS_ERR_SYNTAX = 4,           /**< a rule file, list or JSON text does not follow its grammar */
  CS_ERR_INVALID_VALUE = 5,    /**< a value is out of range or of the wrong type (age, category...) */
  CS_ERR_IO = 6,               /**< a file or directory could not be read */
  CS_ERR_CORRUPT = 7,          /**< a compiled file is corrupt, truncated or of another version */
  CS_ERR_UNICODE = 8,          /**< ICU is missing or failed */
  CS_ERR_NO_MEMORY = 9,        /**< memory allocation failed */
  CS_ERR_NOT_FOUND = 10,       /**< the named item does not exist */
  CS_ERR_INTERNAL = 11         /**< an unexpected internal error (please report it) */
} cs_status;

/** How much a verdict calls for action (the `risk` member of verdicts). */
typedef enum cs_risk {
  CS_RISK_NONE = 0,
  CS_RISK_LOW = 1,
  CS_RISK_MEDIUM = 2,
  CS_RISK_HIGH = 3,
  CS_RISK_CRITICAL = 4
} cs_risk;

/** Where a text comes from (the `kind` member of `cs_context`). */
typedef enum cs_text_kind {
  CS_TEXT_CHAT = 0,  /**< a chat message between people */
  CS_TEXT_QUERY = 1  /**< a query typed into a search box */
} cs_text_kind;

/** An immutable, thread-safe classifier + URL filter. Opaque. */
typedef struct cs_engine cs_engine;

/** The running state of one conversation (scores and categories, never text). Opaque. */
typedef struct cs_session cs_session;

/* ------------------------------------------------------------------------------------------ */
/** @name Library */
/** @{ */

/**
 * The library's version, e.g. "0.1.0".
 * @return static storage; never NULL; do not free. Thread-safe.
 */
const char *cs_version(void);

/** The library's version as MAJOR * 10000 + MINOR * 100 + PATCH (compare with CS_VERSION_NUMBER). */
int cs_version_number(void);

/**
 * A short English description of a status code, e.g. "invalid UTF-8".
 * @return static storage; never NULL (unknown codes give "unknown status"); do not free.
 */
const char *cs_status_str(int status);

/**
 * Releases memory returned by the library (strings, verdicts, error messages). NULL is a no-op.
 * Thread-safe. Do not pass memory from any other allocator, and do not free the same block twice.
 */
void cs_free(void *p);

/** @} */
/* ------------------------------------------------------------------------------------------ */
/** @name Interventions (hooks)
 *  When a verdict calls for action, the library hands the host an intervention: a warning for a
 *  sender, a safety prompt for the child, a notice for a guardian, or help. The record carries
 *  ids, categories and wording, never the message text. @{ */

/** Who an intervention is for (the `audience` of `cs_session_mute`). */
typedef enum cs_audience {
  CS_AUDIENCE_SENDER = 0,    /**< the person who wrote the message or typed the search */
  CS_AUDIENCE_RECIPIENT = 1, /**< the child who received the message */
  CS_AUDIENCE_GUARDIAN = 2   /**< a parent or carer linked to the child */
} cs_audience;

/** What the host did with an intervention: the return value of a `cs_intervention_fn`. */
typedef enum cs_intervention_response {
  CS_INTERVENTION_SHOWN = 0,        /**< shown to its audience (counts for rate limiting) */
  CS_INTERVENTION_ACKNOWLEDGED = 1, /**< shown, and the person acknowledged it (tapped OK, opened help) */
  CS_INTERVENTION_SUPPRESSED = 2    /**< not shown: does not count, so the next one is not held back */
} cs_intervention_response;

/**
 * One intervention. Every member is a NUL-terminated UTF-8 string or NULL when not applicable.
 * The record and its strings are valid only during the callback: copy what you keep.
 * The library may append members in later versions (it allocates the record).
 */
typedef struct cs_intervention {
  const char *audience;        /**< "sender", "recipient" or "guardian" */
  const char *kind;            /**< "deterrence", "safety_prompt", "guardian_notice" or "help" */
  const char *category;        /**< the category that caused it, e.g. "secrecy" or "csam_query" */
  const char *risk;            /**< "none", "low", "medium", "high" or "critical" */
  const char *message;         /**< localised wording to show to the audience */
  const char *signpost_name;   /**< a help service, e.g. a children's helpline, or NULL */
  const char *signpost_phone;  /**< its phone number, or NULL */
  const char *signpost_url;    /**< its web address, or NULL */
  const char *conversation_id; /**< the conversation, when known */
  const char *locale;          /**< the catalog locale the message is in, e.g. "en" */
  const char *age_band;        /**< for recipient prompts, the age band whose wording was used, else NULL */
} cs_intervention;

/**
 * An intervention callback. Called synchronously, on the thread that made the classifying call,
 * before that call returns, zero or more times per message (in the order sender, recipient,
 * guardian). `ctx` is the pointer given with the callback.
 *
 * @return a `cs_intervention_response`: what the host did with it. In a session this drives rate
 *         limiting (at most one intervention per audience per conversation per few minutes and
 *         messages; a more serious risk gets through at once): return CS_INTERVENTION_SUPPRESSED
 *         for one you did not show, so that it does not hold back the next. Unknown values count
 *         as CS_INTERVENTION_SHOWN. Outside a session (cs_classify) the value is not used.
 *
 * The callback must not close the session or engine it was called for, nor add messages to the
 * session it was called for; it may call other library functions, including cs_session_mute() on
 * its own session.
 */
typedef int (*cs_intervention_fn)(const cs_intervention *iv, void *ctx);

/** @} */
/* ------------------------------------------------------------------------------------------ */
/** @name Message context */
/** @{ */

/**
 * What the host knows about a message. Every member is optional; unknown ages are treated
 * cautiously, not ignored. Initialise with `cs_context_init()` or `CS_CONTEXT_INIT`, then set
 * what you know. The library reads it during the call only and keeps no pointer to it. Like
 * `cs_engine_options`, it may gain members: the library reads only what `size` covers.
 * The same fields as a `childsafe check --jsonl` line (see `cs_classify_json`).
 */
typedef struct cs_context {
  size_t size;                    /**< sizeof(cs_context): set by cs_context_init */
  int sender_age;                 /**< years, or -1 when unknown */
  int recipient_age;              /**< years, or -1 when unknown */
  const char *lang;               /**< ISO 639-1 code, or NULL to let every rule pack apply */
  const char *conversation_id;    /**< or NULL */
  const char *sender_id;          /**< or NULL */
  double timestamp;               /**< seconds, any epoch; used when has_timestamp != 0 */
  int has_timestamp;              /**< non-zero when timestamp is set */
  int kind;                       /**< a cs_text_kind: chat (default) or search query */
  cs_intervention_fn on_intervention; /**< per-call hook, or NULL; replaces a session's hook */
  void *on_intervention_ctx;      /**< passed to on_intervention */
  /* Appended after the first layout: a caller whose `size` ends before it gets 0. */
  int sender_trusted;             /**< non-zero: the sender is a contact a parent approved (family, a
                                       known friend). Their meeting plans, compliments, gifts and
                                       questions about home are not signals, a photo request counts
                                       without flagging alone; explicit sexual content, pictures of
                                       the body, secrecy and coercion act as from anyone. */
} cs_context;

/** A static initialiser equivalent to cs_context_init(). */
#define CS_CONTEXT_INIT {sizeof(cs_context), -1, -1, NULL, NULL, NULL, 0.0, 0, CS_TEXT_CHAT, NULL, NULL, 0}

/** Sets every member of `ctx` to its default (unknown ages, chat, no hook). NULL is a no-op. */
void cs_context_init(cs_context *ctx);

/** @} */
/* ------------------------------------------------------------------------------------------ */
/** @name Engine */
/** @{ */

/**
 * Options for `cs_engine_open_ex()`. Initialise with `cs_engine_options_init()`, then set what you
 * need. The library reads them during the call only. Members may be appended in later versions:
 * the library reads only the members that `size` covers, and refuses a larger `size` whose extra
 * members it does not know are non-zero.
 */
typedef struct cs_engine_options {
  size_t size;                   /**< sizeof(cs_engine_options): set by cs_engine_options_init */
  const char *rules_path;        /**< a rules directory, or NULL for the embedded defaults */
  const char *const *url_lists;  /**< URL list paths (files, directories, compiled indexes) */
  size_t url_list_count;         /**< entries in url_lists, at most 4096 (0: the embedded sample lists) */
  const char *url_categories;    /**< comma-separated URL categories to block, or NULL for all. Names no
                                      list uses are accepted and block nothing. */
  const char *policy_path;       /**< a family policy file (see Rules/family.policy): its locale,
                                      country and helplines configure interventions; or NULL */
  const char *child;             /**< the child in the policy whose settings apply, or NULL for the
                                      family-wide ones; needs policy_path */
  const char *locale;            /**< locale of safety messages ("en", "pt-BR"...), overriding the
                                      policy's; NULL: the policy's, else "en" */
  const char *country;           /**< ISO 3166-1 alpha-2 code whose helplines are signposted, overriding
                                      the policy's; or NULL */
  int replace_defaults;          /**< non-zero: use only the rules of rules_path, not the embedded
                                      ones (default 0: rules_path extends them); needs rules_path */
} cs_engine_options;

/** Sets every member of `opts` to its default (embedded rules and lists). NULL is a no-op. */
void cs_engine_options_init(cs_engine_options *opts);

/**
 * Opens an engine, the same as `childsafe check --rules DIR` uses: the grooming classifier and the
 * search-query rules, the interventions (safety messages in `<rules_path>/deterrence` and the
 * embedded catalogs) and the URL filter (`<rules_path>/urls` and the embedded sample lists).
 * `rules_path` extends the rules embedded in the library; NULL uses the embedded rules alone.
 *
 * @param rules_path NUL-terminated directory path, or NULL.
 * @param out        receives the engine (NULL on failure); close it with cs_engine_close().
 * @param errmsg     optional; on failure, what went wrong and where (file:line:column).
 * @return CS_OK; CS_ERR_INVALID_ARGUMENT when out is NULL; CS_ERR_IO when the directory cannot be
 *         read; CS_ERR_SYNTAX / CS_ERR_INVALID_VALUE for bad rule files.
 * Thread-safe. The engine is immutable: share it between threads freely.
 */
int cs_engine_open(const char *rules_path, cs_engine **out, char **errmsg);

/**
 * Opens an engine with options (rules, URL lists and categories, family policy, locale, country).
 * A bad file or value anywhere fails the whole call: an engine never runs half-configured.
 * @return as cs_engine_open(); CS_ERR_INVALID_ARGUMENT when opts or out is NULL, opts->size is
 *         too small (or larger with unknown members set), child is given without policy_path,
 *         replace_defaults without rules_path, or the policy has no such child;
 *         CS_ERR_TOO_LARGE when url_list_count is above 4096; CS_ERR_IO when a list or the policy
 *         file cannot be read; CS_ERR_SYNTAX / CS_ERR_INVALID_VALUE for a bad list or policy file
 *         (file:line:column in errmsg), a locale that is not a tag like "en" or "pt-BR", or a
 *         country that is not a two-letter code.
 */
int cs_engine_open_ex(const cs_engine_options *opts, cs_engine **out, char **errmsg);

/**
 * A new engine: `engine`'s rules, lists, policy and settings with a learnt model combined with its
 * rules (a model file from `childsafe train`; see docs/model.md), replacing a model of the same
 * level. `engine` itself is unchanged: close both. Verdicts then carry the model's part in their
 * JSON ("model" for a message, "model_score" for a conversation).
 * @return CS_OK; CS_ERR_INVALID_ARGUMENT when engine, model_path or out is NULL; CS_ERR_IO when
 *         the file cannot be read; CS_ERR_CORRUPT for a damaged, truncated or foreign file.
 * Thread-safe. Since version node CHILDSAFE_1.2.
 */
int cs_engine_with_model(const cs_engine *engine, const char *model_path, cs_engine **out, char **errmsg);

/**
 * A new engine: `engine` with its sessions' interventions rate-limited otherwise. After an
 * intervention, the same audience of the same session gets another only once `messages` messages
 * and `seconds` of message time (cs_context timestamp; messages without one count by number only)
 * have passed, or sooner when the risk rises. The library's default is 10 messages and 300 seconds;
 * 0 and 0 turn rate limiting off. Messages checked outside a session are never rate-limited.
 * `engine` itself is unchanged: close both.
 * @return CS_OK; CS_ERR_INVALID_ARGUMENT when engine or out is NULL; CS_ERR_INVALID_VALUE when
 *         seconds is negative or not finite, or messages is negative.
 * Thread-safe. Since version node CHILDSAFE_1.3.
 */
int cs_engine_with_rate_limit(const cs_engine *engine, double seconds, long messages, cs_engine **out, char **errmsg);

/**
 * Releases the caller's reference to an engine. NULL is a no-op. Sessions opened from the engine
 * keep it alive until they are closed, so closing the engine first is allowed. Do not use the
 * handle afterwards, and do not close it while another thread is still calling functions on it.
 */
void cs_engine_close(cs_engine *engine);

/** @} */
/* ------------------------------------------------------------------------------------------ */
/** @name Message verdicts */
/** @{ */

/** One rule that fired, and where: the byte span [start, end) in the text as given. */
typedef struct cs_match {
  const char *rule;      /**< rule id */
  const char *category;  /**< e.g. "secrecy" */
  double weight;
  size_t start;          /**< UTF-8 byte offset of the first byte */
  size_t end;            /**< UTF-8 byte offset past the last byte */
} cs_match;

/**
 * The verdict on one message. One block: release the whole thing with a single cs_free().
 */
typedef struct cs_verdict {
  int flagged;                     /**< non-zero: the decision to act */
  int risk;                        /**< a cs_risk */
  double score;                    /**< in [0, 1] */
  size_t category_count;
  const char *const *categories;   /**< the grooming signals present, in canonical order */
  size_t match_count;
  const cs_match *matches;
} cs_verdict;

/**
 * Classifies one message.
 * @param engine an open engine (shared, thread-safe).
 * @param text   UTF-8 text of `len` bytes (NULL only when len is 0); at most CS_MAX_TEXT_BYTES.
 * @param ctx    optional context (NULL: nothing known). Its hook, if set, is called for the
 *               interventions this verdict calls for (no rate limiting outside a session).
 * @param out    receives the verdict; free with cs_free().
 * @param errmsg optional error message.
 * @return CS_OK; CS_ERR_INVALID_ARGUMENT (NULL engine/out, NULL text with len > 0, ctx->size too
 *         small); CS_ERR_INVALID_UTF8; CS_ERR_TOO_LARGE; CS_ERR_INVALID_VALUE (age out of range).
 */
int cs_classify(const cs_engine *engine, const char *text, size_t len, const cs_context *ctx,
                cs_verdict **out, char **errmsg);

/**
 * Classifies one message, with the context and the verdict as JSON.
 * @param context_json NULL, or a NUL-terminated JSON object with any of the fields of a
 *        `childsafe check --jsonl` line: "sender_age", "recipient_age" (integers or null),
 *        "lang", "conversation", "from" (strings), "t" (number), "context" ("chat" | "query").
 *        Other fields (such as "id" and "text") are ignored. At most CS_MAX_JSON_BYTES.
 * @param out_json receives the line `childsafe check --jsonl` writes: `{"flagged","risk","score",
 *        "categories","matches":[{"rule","category","start","end","weight"}]}`, plus
 *        `"interventions":[{"audience","kind","category","risk","message","signpost","conversation",
 *        "time"}]` when the verdict calls for any, and with `"id"` first when context_json has an
 *        "id". Free with cs_free(). Conversations (a "conversation" field) need a session: this
 *        function keeps no state.
 * @return as cs_classify(); CS_ERR_SYNTAX when context_json is not JSON or not an object;
 *         CS_ERR_INVALID_VALUE when a field has the wrong type or range.
 */
int cs_classify_json(const cs_engine *engine, const char *text, size_t len, const char *context_json,
                     char **out_json);

/** @} */
/* ------------------------------------------------------------------------------------------ */
/** @name Conversations (sessions) */
/** @{ */

/** The running verdict on a conversation. One block: release with a single cs_free(). */
typedef struct cs_conversation_verdict {
  int flagged;                 /**< non-zero once the conversation is flagged */
  long flagged_at;             /**< 0-based index of the message that flagged it, or -1 */
  int risk;                    /**< a cs_risk */
  double score;                /**< in [0, 1] */
  size_t stage_count;
  const char *const *stages;   /**< the grooming stages seen so far, in canonical order */
  size_t message_count;        /**< messages added so far */
} cs_conversation_verdict;

/**
 * Starts a conversation over `engine`. The session keeps the engine alive until it is closed.
 * @param conversation_id optional NUL-terminated id (at most CS_MAX_ID_BYTES), reported in
 *        interventions; copied.
 * @param out receives the session; close it with cs_session_close().
 * @return CS_OK; CS_ERR_INVALID_ARGUMENT (NULL engine or out); CS_ERR_TOO_LARGE;
 *         CS_ERR_INVALID_UTF8 (id).
 * Thread-safe with respect to the engine. The session itself is for one thread at a time.
 */
int cs_session_open(const cs_engine *engine, const char *conversation_id, cs_session **out);

/** Ends a conversation and releases its state. NULL is a no-op. Not from within its own hook. */
void cs_session_close(cs_session *session);

/**
 * Sets (or, with fn NULL, clears) the session's intervention hook. It is called during
 * cs_session_add() / cs_session_add_json() for the interventions a message calls for, after rate
 * limiting (per audience); its return value tells the session whether the intervention was shown.
 * @return CS_OK; CS_ERR_INVALID_ARGUMENT when session is NULL.
 */
int cs_session_set_intervention_hook(cs_session *session, cs_intervention_fn fn, void *ctx);

/**
 * Holds back every intervention for one audience in this conversation (the host's "don't show
 * this again here"): for `messages` messages from now and, when messages carry timestamps, for
 * `seconds` from the last message's time, whichever lasts longer. Both 0: unmute.
 * May be called from the session's own hook.
 * @param audience a cs_audience.
 * @return CS_OK; CS_ERR_INVALID_ARGUMENT when session is NULL; CS_ERR_INVALID_VALUE for an unknown
 *         audience, or a negative or non-finite seconds or negative messages.
 */
int cs_session_mute(cs_session *session, int audience, double seconds, long messages);

/**
 * Adds the next message of the conversation (messages in order; the session never looks ahead).
 * The session's conversation_id, when it has one, is the conversation of every message;
 * otherwise ctx->conversation_id is. Interventions go to ctx->on_intervention when set, else to
 * the session's hook, rate-limited per audience.
 * @param out_verdict optional; receives the message's own verdict (free with cs_free()).
 * @return as cs_classify(). On failure the session is unchanged.
 */
int cs_session_add(cs_session *session, const char *text, size_t len, const cs_context *ctx,
                   cs_verdict **out_verdict, char **errmsg);

/**
 * cs_session_add() with JSON context and result: `out_json` receives the line `childsafe check
 * --jsonl` writes for a message of a conversation: the message verdict members, `"conversation":
 * {"flagged","flagged_at","risk","score","stages","messages","risky_sender"}` and, when any were
 * delivered (after rate limiting, and not suppressed by the hook), `"interventions"`; with "id"
 * first when context_json has one. `out_json` may be NULL.
 */
int cs_session_add_json(cs_session *session, const char *text, size_t len, const char *context_json,
                        char **out_json);

/**
 * The running verdict of the conversation.
 * @param out receives it; free with cs_free().
 * @return CS_OK; CS_ERR_INVALID_ARGUMENT when session or out is NULL.
 */
int cs_session_verdict(const cs_session *session, cs_conversation_verdict **out);

/** The running verdict as `{"flagged","flagged_at","risk","score","stages","messages","risky_sender"}`. */
int cs_session_verdict_json(const cs_session *session, char **out_json);

/** @} */
/* ------------------------------------------------------------------------------------------ */
/** @name URL checks */
/** @{ */

/**
 * URLs are read the way browsers read them (WHATWG URL Standard: "\\" as "/", any number of slashes
 * after the scheme, userinfo up to the last "@", IPv4 in hex, octal and short forms, UTS #46 host
 * names), so the host checked is the host a browser would open. A URL that cannot be parsed (a browser
 * would refuse it, it has no host, or it is longer than CS_MAX_URL_BYTES... in the verdict: reason
 * "invalid") is BLOCKED by default: the check fails closed. Pass CS_URL_ALLOW_INVALID to
 * cs_url_check_ex() / cs_url_check_json_ex() to let such URLs through instead.
 */

/** Flags of cs_url_check_ex() and cs_url_check_json_ex() (bitwise OR; 0 is the default). */
typedef enum cs_url_flags {
  CS_URL_DEFAULT = 0,      /**< block URLs that cannot be parsed */
  CS_URL_ALLOW_INVALID = 1 /**< do not block URLs that cannot be parsed (reason "invalid", blocked 0) */
} cs_url_flags;

/** The verdict on one URL. One block: release with a single cs_free(). */
typedef struct cs_url_verdict {
  int blocked;             /**< non-zero: do not open it (also for reason "invalid", by default) */
  const char *canonical;   /**< the canonical form of the URL ("" when invalid) */
  const char *category;    /**< the list category that decided, or NULL */
  const char *list;        /**< the list that decided, or NULL */
  const char *rule;        /**< the list entry (for hashed lists only its hash), or NULL */
  const char *reason;      /**< "blocklist", "allowlist", "hashed", "homograph", "not_listed", "invalid" */
} cs_url_verdict;

/**
 * Checks a URL against the engine's block and allow lists; the same as cs_url_check_ex() with flags 0
 * (a URL that cannot be parsed is blocked, reason "invalid").
 * @param url UTF-8 URL of `len` bytes (need not be NUL-terminated); at most CS_MAX_URL_BYTES.
 * @param out receives the verdict; free with cs_free().
 * @return CS_OK; CS_ERR_INVALID_ARGUMENT; CS_ERR_INVALID_UTF8; CS_ERR_TOO_LARGE.
 * Thread-safe.
 */
int cs_url_check(const cs_engine *engine, const char *url, size_t len, cs_url_verdict **out);

/**
 * Checks a URL; `out_json` receives `{"canonical","host","blocked","category","list","rule","reason"}`
 * (+ "error" for reason "invalid"; the CLI's `url --jsonl` schema without the echoed "url"); free
 * with cs_free(). "host" is the host the lists were checked against, null when invalid.
 */
int cs_url_check_json(const cs_engine *engine, const char *url, size_t len, char **out_json);

/**
 * cs_url_check() with `flags`, a combination of cs_url_flags.
 * @return as cs_url_check(); CS_ERR_INVALID_ARGUMENT also for flags this version does not know.
 * Since version node CHILDSAFE_1.1.
 */
int cs_url_check_ex(const cs_engine *engine, const char *url, size_t len, unsigned flags, cs_url_verdict **out);

/** cs_url_check_json() with `flags`, a combination of cs_url_flags. Since CHILDSAFE_1.1. */
int cs_url_check_json_ex(const cs_engine *engine, const char *url, size_t len, unsigned flags, char **out_json);

/** @} */
/* ------------------------------------------------------------------------------------------ */
/** @name Age-appropriate defaults */
/** @{ */

/** The identity of an age's default settings. One block: release with a single cs_free(). */
typedef struct cs_defaults {
  const char *band;   /**< "0-5", "6-9", "10-12", "13-15", "16-17" or "18+" */
  int age;            /**< the age asked for, or -1 when unknown */
  int age_assured;    /**< non-zero when the age is known */
} cs_defaults;

/**
 * The band of the default settings for an age.
 * @param age years, or negative when unknown (unknown gets the 13-15 defaults, not assured).
 * @return CS_OK; CS_ERR_INVALID_ARGUMENT (out NULL); CS_ERR_INVALID_VALUE (age > CS_MAX_AGE).
 */
int cs_defaults_get(int age, cs_defaults **out);

/**
 * The complete default settings for an age as a JSON object (the schema of
 * `childsafe defaults --age N --json`: "band", "age", "age_assured", ...); free with cs_free().
 * @param age years, or negative when unknown.
 * @return CS_OK; CS_ERR_INVALID_ARGUMENT (out_json NULL); CS_ERR_INVALID_VALUE (age > CS_MAX_AGE).
 */
int cs_defaults_json(int age, char **out_json);

/**
 * One default setting for an age, as JSON (e.g. name "quiet_hours" gives
 * `{"start":"21:00","end":"07:00"}` or `null`); free with cs_free().
 * @return as cs_defaults_json(); CS_ERR_NOT_FOUND when there is no setting of that name.
 */
int cs_defaults_setting_json(int age, const char *name, char **out_json);

/**
 * The complete default settings for an age band, as cs_defaults_json() gives them for an age
 * ("age" is null and "age_assured" false: no age is known).
 * @param band "0-5", "6-9", "10-12", "13-15", "16-17" or "18+" ("adult" also names 18+).
 * @return CS_OK; CS_ERR_INVALID_ARGUMENT (band or out_json NULL); CS_ERR_INVALID_VALUE (no such band).
 */
int cs_defaults_band_json(const char *band, char **out_json);

/**
 * The complete default settings for a child born on `birth_date`, on `on_date`: the age is the
 * completed years between them (someone born on 29 February is a year older on 1 March in
 * common years).
 * @param birth_date "YYYY-MM-DD".
 * @param on_date    "YYYY-MM-DD", or NULL for today in the machine's local time zone.
 * @return CS_OK; CS_ERR_INVALID_ARGUMENT (birth_date or out_json NULL); CS_ERR_INVALID_VALUE (not a
 *         valid date, or a birth date after on_date); CS_ERR_INVALID_UTF8.
 */
int cs_defaults_birth_date_json(const char *birth_date, const char *on_date, char **out_json);

/** @} */

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CHILDSAFE_H */
