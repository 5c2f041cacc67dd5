import ChildSafe
import Testing

@testable import ChildSafeDaemon

@Suite("ConversationStore")
struct ConversationStoreTests {
  let engine = SafetyEngine.defaults
  let second: UInt64 = 1_000_000_000

  /// Adds one message to conversation `id` at time `now`; returns its message count afterwards.
  func add(_ store: ConversationStore, _ id: String, at now: UInt64) throws -> Int {
    try store.withConversation(id, now: now, make: { engine.makeSession() }) { (session) throws(ChildSafeError) in
      _ = try session.add("hi", context: MessageContext(conversationID: id))
      return session.verdict.messageCount
    }
  }

  @Test func keepsStatePerConversation() throws {
    let store = ConversationStore(capacity: 10, idleTTL: 60)
    #expect(try add(store, "a", at: 0) == 1)
    #expect(try add(store, "a", at: 1) == 2)
    #expect(try add(store, "b", at: 2) == 1)
    #expect(try add(store, "a", at: 3) == 3)
    #expect(store.counts.live == 2)
  }

  @Test func evictsTheLeastRecentlyUsedWhenFull() throws {
    let store = ConversationStore(capacity: 2, idleTTL: 60)
    _ = try add(store, "a", at: 0)
    _ = try add(store, "b", at: 1)
    _ = try add(store, "a", at: 2)  // a is now more recent than b
    _ = try add(store, "c", at: 3)  // evicts b
    #expect(store.counts.live == 2)
    #expect(store.counts.evictedLRU == 1)
    #expect(try add(store, "a", at: 4) == 3)  // a kept its state
    #expect(try add(store, "b", at: 5) == 1)  // b starts over
  }

  @Test func forgetsIdleConversations() throws {
    let store = ConversationStore(capacity: 10, idleTTL: 10)
    _ = try add(store, "a", at: 0)
    _ = try add(store, "b", at: 5 * second)
    store.expire(now: 12 * second)
    #expect(store.counts.live == 1)
    #expect(store.counts.expired == 1)
    #expect(try add(store, "a", at: 13 * second) == 1)
    #expect(try add(store, "b", at: 14 * second) == 2)
  }

  @Test func staysWithinCapacityOverManyConversations() throws {
    let store = ConversationStore(capacity: 5000, idleTTL: 3600)
    for i in 0..<50_000 { _ = try add(store, "conversation-\(i)", at: UInt64(i)) }
    let counts = store.counts
    #expect(counts.live <= 5000)
    #expect(counts.live + counts.evictedLRU == 50_000)
  }

  @Test func errorsInsideLeaveTheStoreUsable() throws {
    let store = ConversationStore(capacity: 4, idleTTL: 60)
    #expect(throws: ChildSafeError.self) {
      try store.withConversation("a", now: 0, make: { engine.makeSession() }) { (_) throws(ChildSafeError) in
        throw ChildSafeError(.invalidValue, "test")
      }
    }
    #expect(try add(store, "a", at: 1) == 1)
  }
}
