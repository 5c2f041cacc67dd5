import ChildSafe
import Metrics
import class Prometheus.PrometheusCollectorRegistry
import struct Prometheus.PrometheusMetricsFactory
import Synchronization

/// The daemon's metrics, recorded through swift-metrics into a Prometheus registry of its own (so
/// that every instance, as in tests, starts from zero) and rendered in the Prometheus text format.
/// They hold ids of endpoints, categories, risk levels and list names only: no text, no URLs.
public final class Metrics: Sendable {
  /// Request latency histogram bucket bounds.
  public static let latencyBuckets: [Duration] = [
    .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500),
    .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
    .milliseconds(250), .seconds(1), .seconds(5),
  ]

  enum Name {
    static let requests = "childsafed_requests_total"
    static let latency = "childsafed_request_duration_seconds"
    static let messageVerdicts = "childsafed_message_verdicts_total"
    static let messagesFlagged = "childsafed_messages_flagged_total"
    static let categories = "childsafed_message_categories_total"
    static let conversationsFlagged = "childsafed_conversations_flagged_total"
    static let urls = "childsafed_url_verdicts_total"
    static let reloads = "childsafed_reloads_total"
    static let generation = "childsafed_config_generation"
    static let lastReloadFailed = "childsafed_last_reload_failed"
    static let conversations = "childsafed_conversations"
    static let capacity = "childsafed_conversations_capacity"
    static let evictions = "childsafed_conversation_evictions_total"
  }

  struct RequestKey: Hashable {
    var endpoint: Endpoint
    var status: Int
  }

  /// Handles already made, so that a request costs a dictionary look-up rather than a registration.
  struct Handles {
    var requests: [RequestKey: Counter] = [:]
    var latency: [Endpoint: Timer] = [:]
    var categories: [String: Counter] = [:]
    var urls: [String: Counter] = [:]
    /// Eviction totals already counted: the store keeps totals, the counters take increments.
    var evictedLRU = 0
    var expired = 0
  }

  public let registry = PrometheusCollectorRegistry()
  let factory: PrometheusMetricsFactory
  private let handles = Mutex(Handles())
  private let messageVerdicts: [Counter]
  private let messagesFlagged: Counter
  private let conversationsFlagged: Counter
  private let reloadsSucceeded: Counter
  private let reloadsFailed: Counter
  private let generation: Gauge
  private let lastReloadFailed: Gauge
  private let conversations: Gauge
  private let capacity: Gauge
  private let evictedLRU: Counter
  private let expired: Counter

  public init() {
    var factory = PrometheusMetricsFactory(registry: registry)
    factory.durationHistogramBuckets = [Name.latency: Self.latencyBuckets]
    self.factory = factory
    // Series that exist from the start, at zero, so that dashboards and alerts see them before any event.
    messageVerdicts = RiskLevel.allCases.map {
      Counter(label: Name.messageVerdicts, dimensions: [("risk", "\($0)")], factory: factory)
    }
    messagesFlagged = Counter(label: Name.messagesFlagged, factory: factory)
    conversationsFlagged = Counter(label: Name.conversationsFlagged, factory: factory)
    reloadsSucceeded = Counter(label: Name.reloads, dimensions: [("result", "success")], factory: factory)
    reloadsFailed = Counter(label: Name.reloads, dimensions: [("result", "failure")], factory: factory)
    generation = Gauge(label: Name.generation, factory: factory)
    lastReloadFailed = Gauge(label: Name.lastReloadFailed, factory: factory)
    conversations = Gauge(label: Name.conversations, factory: factory)
    capacity = Gauge(label: Name.capacity, factory: factory)
    evictedLRU = Counter(label: Name.evictions, dimensions: [("reason", "lru")], factory: factory)
    expired = Counter(label: Name.evictions, dimensions: [("reason", "idle")], factory: factory)
  }

  public func recordRequest(_ endpoint: Endpoint, status: Int, nanoseconds: UInt64) {
    let factory = self.factory
    let (counter, timer) = handles.withLock { handles in
      let key = RequestKey(endpoint: endpoint, status: status)
      let counter = handles.requests[key] ?? Counter(
        label: Name.requests, dimensions: [("endpoint", endpoint.rawValue), ("status", "\(status)")], factory: factory)
      handles.requests[key] = counter
      let timer = handles.latency[endpoint] ?? Timer(
        label: Name.latency, dimensions: [("endpoint", endpoint.rawValue)], factory: factory)
      handles.latency[endpoint] = timer
      return (counter, timer)
    }
    counter.increment()
    timer.recordNanoseconds(Int64(clamping: nanoseconds))
  }

  /// `newlyFlaggedConversation`: this message is the one at which its conversation became flagged.
  public func recordMessage(_ verdict: MessageVerdict, newlyFlaggedConversation: Bool) {
    messageVerdicts[verdict.risk.rawValue].increment()
    if verdict.flagged { messagesFlagged.increment() }
    if newlyFlaggedConversation { conversationsFlagged.increment() }
    guard !verdict.categories.isEmpty else { return }
    let factory = self.factory
    let counters = handles.withLock { handles in
      verdict.categories.map { category in
        let counter = handles.categories[category.name] ?? Counter(
          label: Name.categories, dimensions: [("category", category.name)], factory: factory)
        handles.categories[category.name] = counter
        return counter
      }
    }
    for counter in counters { counter.increment() }
  }

  public func recordURL(_ verdict: URLVerdict) {
    let factory = self.factory
    let category = verdict.category ?? ""
    let key = "\(verdict.blocked)|\(category)"
    let counter = handles.withLock { handles in
      let counter = handles.urls[key] ?? Counter(
        label: Name.urls, dimensions: [("blocked", "\(verdict.blocked)"), ("category", category)], factory: factory)
      handles.urls[key] = counter
      return counter
    }
    counter.increment()
  }

  public func recordReload(succeeded: Bool) {
    (succeeded ? reloadsSucceeded : reloadsFailed).increment()
  }

  /// The Prometheus text exposition format 0.0.4, after setting the gauges the caller knows.
  public func render(conversations counts: ConversationStore.Counts, capacity: Int, generation: Int, lastReloadFailed: Bool)
    -> String
  {
    conversations.record(counts.live)
    self.capacity.record(capacity)
    self.generation.record(generation)
    self.lastReloadFailed.record(lastReloadFailed ? 1 : 0)
    let (lru, idle) = handles.withLock { handles in
      defer { (handles.evictedLRU, handles.expired) = (counts.evictedLRU, counts.expired) }
      return (max(0, counts.evictedLRU - handles.evictedLRU), max(0, counts.expired - handles.expired))
    }
    if lru > 0 { evictedLRU.increment(by: lru) }
    if idle > 0 { expired.increment(by: idle) }
    return registry.emitToString()
  }
}
