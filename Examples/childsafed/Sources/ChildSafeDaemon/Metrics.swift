import ChildSafe
import Synchronization

/// The API's endpoints, as metric labels. Unknown paths are all "other": a path can carry anything
/// (even a URL), and labels must never hold user data.
public enum Endpoint: String, Sendable, CaseIterable {
  case classify, url, defaults, healthz, metrics, reload, transparency, other
}

/// Counters and latency histograms, rendered as Prometheus text. They hold ids of endpoints,
/// categories, risk levels and list names only: no text, no URLs.
public final class Metrics: Sendable {
  /// Latency histogram bucket bounds, in seconds.
  static let buckets: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5]

  struct Histogram {
    var counts = [UInt64](repeating: 0, count: Metrics.buckets.count)
    var sum: Double = 0
    var count: UInt64 = 0

    mutating func observe(_ seconds: Double) {
      if let bucket = Metrics.buckets.firstIndex(where: { seconds <= $0 }) { counts[bucket] += 1 }
      sum += seconds
      count += 1
    }
  }

  struct RequestKey: Hashable {
    var endpoint: Endpoint
    var status: Int
  }

  struct URLKey: Hashable {
    var blocked: Bool
    var category: String
  }

  struct State {
    var requests: [RequestKey: UInt64] = [:]
    var latency: [Endpoint: Histogram] = [:]
    var messageRisk = [UInt64](repeating: 0, count: RiskLevel.allCases.count)
    var messagesFlagged: UInt64 = 0
    var categories: [String: UInt64] = [:]
    var conversationsFlagged: UInt64 = 0
    var urls: [URLKey: UInt64] = [:]
    var reloadsSucceeded: UInt64 = 0
    var reloadsFailed: UInt64 = 0
  }

  private let state = Mutex(State())

  public init() {}

  public func recordRequest(_ endpoint: Endpoint, status: Int, seconds: Double) {
    state.withLock { state in
      state.requests[RequestKey(endpoint: endpoint, status: status), default: 0] += 1
      state.latency[endpoint, default: Histogram()].observe(seconds)
    }
  }

  /// `newlyFlaggedConversation`: this message is the one at which its conversation became flagged.
  public func recordMessage(_ verdict: MessageVerdict, newlyFlaggedConversation: Bool) {
    state.withLock { state in
      state.messageRisk[verdict.risk.rawValue] += 1
      if verdict.flagged { state.messagesFlagged += 1 }
      for category in verdict.categories { state.categories[category.name, default: 0] += 1 }
      if newlyFlaggedConversation { state.conversationsFlagged += 1 }
    }
  }

  public func recordURL(_ verdict: URLVerdict) {
    state.withLock { $0.urls[URLKey(blocked: verdict.blocked, category: verdict.category ?? ""), default: 0] += 1 }
  }

  public func recordReload(succeeded: Bool) {
    state.withLock { state in
      if succeeded { state.reloadsSucceeded += 1 } else { state.reloadsFailed += 1 }
    }
  }

  /// Prometheus text exposition format 0.0.4, with the gauges the caller knows.
  public func render(conversations: ConversationStore.Counts, capacity: Int, generation: Int, lastReloadFailed: Bool)
    -> String
  {
    let s = state.withLock { $0 }
    var out = ""
    func header(_ name: String, _ type: String, _ help: String) {
      out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }
    header("childsafed_requests_total", "counter", "HTTP requests by endpoint and status.")
    for (key, n) in s.requests.sorted(by: { ($0.key.endpoint.rawValue, $0.key.status) < ($1.key.endpoint.rawValue, $1.key.status) }) {
      out += "childsafed_requests_total{endpoint=\"\(key.endpoint.rawValue)\",status=\"\(key.status)\"} \(n)\n"
    }
    header("childsafed_request_duration_seconds", "histogram", "Request latency by endpoint, from head received to response ready.")
    for endpoint in Endpoint.allCases {
      guard let h = s.latency[endpoint] else { continue }
      var cumulative: UInt64 = 0
      for (i, bound) in Metrics.buckets.enumerated() {
        cumulative += h.counts[i]
        out += "childsafed_request_duration_seconds_bucket{endpoint=\"\(endpoint.rawValue)\",le=\"\(bound)\"} \(cumulative)\n"
      }
      out += "childsafed_request_duration_seconds_bucket{endpoint=\"\(endpoint.rawValue)\",le=\"+Inf\"} \(h.count)\n"
      out += "childsafed_request_duration_seconds_sum{endpoint=\"\(endpoint.rawValue)\"} \(h.sum)\n"
      out += "childsafed_request_duration_seconds_count{endpoint=\"\(endpoint.rawValue)\"} \(h.count)\n"
    }
    header("childsafed_message_verdicts_total", "counter", "Classified messages by risk level.")
    for level in RiskLevel.allCases {
      out += "childsafed_message_verdicts_total{risk=\"\(level)\"} \(s.messageRisk[level.rawValue])\n"
    }
    header("childsafed_messages_flagged_total", "counter", "Classified messages whose verdict was flagged.")
    out += "childsafed_messages_flagged_total \(s.messagesFlagged)\n"
    header("childsafed_message_categories_total", "counter", "Grooming signals found in messages, by category.")
    for (category, n) in s.categories.sorted(by: { $0.key < $1.key }) {
      out += "childsafed_message_categories_total{category=\"\(Metrics.escape(category))\"} \(n)\n"
    }
    header("childsafed_conversations_flagged_total", "counter", "Conversations that became flagged.")
    out += "childsafed_conversations_flagged_total \(s.conversationsFlagged)\n"
    header("childsafed_url_verdicts_total", "counter", "Checked URLs by outcome and list category.")
    for (key, n) in s.urls.sorted(by: { ($0.key.blocked ? 1 : 0, $0.key.category) < ($1.key.blocked ? 1 : 0, $1.key.category) }) {
      out += "childsafed_url_verdicts_total{blocked=\"\(key.blocked)\",category=\"\(Metrics.escape(key.category))\"} \(n)\n"
    }
    header("childsafed_reloads_total", "counter", "Configuration reloads by result.")
    out += "childsafed_reloads_total{result=\"success\"} \(s.reloadsSucceeded)\n"
    out += "childsafed_reloads_total{result=\"failure\"} \(s.reloadsFailed)\n"
    header("childsafed_config_generation", "gauge", "Generation of the configuration serving (1 at start, +1 per successful reload).")
    out += "childsafed_config_generation \(generation)\n"
    header("childsafed_last_reload_failed", "gauge", "1 when the last reload failed and the previous configuration is still serving.")
    out += "childsafed_last_reload_failed \(lastReloadFailed ? 1 : 0)\n"
    header("childsafed_conversations", "gauge", "Conversations held in memory.")
    out += "childsafed_conversations \(conversations.live)\n"
    header("childsafed_conversations_capacity", "gauge", "Most conversations held in memory (--max-conversations).")
    out += "childsafed_conversations_capacity \(capacity)\n"
    header("childsafed_conversation_evictions_total", "counter", "Conversations dropped, by reason.")
    out += "childsafed_conversation_evictions_total{reason=\"lru\"} \(conversations.evictedLRU)\n"
    out += "childsafed_conversation_evictions_total{reason=\"idle\"} \(conversations.expired)\n"
    return out
  }

  /// Label values come from rule packs and list names; escape what the format reserves.
  static func escape(_ value: String) -> String {
    var out = ""
    for ch in value {
      switch ch {
      case "\\": out += "\\\\"
      case "\"": out += "\\\""
      case "\n": out += "\\n"
      default: out.append(ch)
      }
    }
    return out
  }
}
