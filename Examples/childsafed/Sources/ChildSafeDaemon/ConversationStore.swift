import ChildSafe
import Synchronization

/// Conversation state held by the daemon: one `SafetySession` (the classifier's running scores and
/// categories and the interventions' rate-limit state; never text) per conversation id, bounded by a
/// maximum count (least recently used evicted first) and an idle TTL. Memory therefore stays flat
/// however many conversations pass through.
///
/// Each session belongs to the configuration generation it was last bound to. A reload moves every
/// session to the new engine (``rebind(generation:_:)``), and a session still bound to an older
/// generation when its next message arrives is moved first, so a conversation's next message is
/// always classified by the rules in force, with its evidence and rate limiting kept.
///
/// The table is split into shards, each behind its own lock, so that requests for different
/// conversations rarely wait for each other. LRU order is exact within a shard and approximate
/// across shards; small tables use one shard, so the bound is exact there.
public final class ConversationStore: Sendable {
  public struct Counts: Sendable, Equatable {
    public var live = 0
    public var evictedLRU = 0
    public var expired = 0
  }

  private let shards: [ShardLock]
  private let ttlNanoseconds: UInt64
  public let capacity: Int

  public init(capacity: Int, idleTTL seconds: Double) {
    self.capacity = capacity
    // About 1024 conversations per shard at least, at most 64 shards.
    let shardCount = max(1, min(64, capacity / 1024))
    let perShard = (capacity + shardCount - 1) / shardCount
    // The last shards take the remainder so that the total is exactly `capacity`.
    var shards: [ShardLock] = []
    var remaining = capacity
    for i in 0..<shardCount {
      let size = min(perShard, remaining - (shardCount - 1 - i))
      shards.append(ShardLock(Shard(capacity: max(1, size))))
      remaining -= size
    }
    self.shards = shards
    ttlNanoseconds = UInt64(seconds * 1e9)
  }

  /// Runs `body` on the session of conversation `id`, creating it with `make` when it is new or has
  /// expired, and moving it with `rebind` when it is bound to a generation older than `generation`
  /// (one that is newer, rebound by a reload meanwhile, is left as it is). The shard stays locked
  /// during `body`, so messages of one conversation are added in the order they arrive and never
  /// concurrently.
  public func withConversation<R, E: Error>(
    _ id: String, now: UInt64 = MonotonicClock.nanoseconds(), generation: Int = 0, make: () -> SafetySession,
    rebind: (SafetySession) -> SafetySession = { $0 }, _ body: (inout SafetySession) throws(E) -> R
  ) throws(E) -> R {
    let shard = shards[shardIndex(id)]
    let ttl = ttlNanoseconds
    return try shard.lock.withLock { (shard: inout Shard) throws(E) -> R in
      shard.expire(now: now, ttl: ttl)
      let slot = shard.slot(for: id, now: now, make: { SessionBox(make(), generation: generation) })
      // Mutated in place through its box: a session holds the engine (many references), and copying
      // it out and back would retain and release each of them on every message.
      let box = shard.slots[slot].session ?? SessionBox(make(), generation: generation)
      shard.slots[slot].session = box
      if box.generation < generation {
        box.session = rebind(box.session)
        box.generation = generation
      }
      return try body(&box.session)
    }
  }

  /// Moves every session bound to a generation older than `generation` with `rebind` (after a
  /// reload). One shard is locked at a time, so requests wait at most for one shard's share.
  public func rebind(generation: Int, _ rebind: (SafetySession) -> SafetySession) {
    for shard in shards {
      shard.lock.withLock { shard in
        for slot in shard.slots.indices {
          guard let box = shard.slots[slot].session, box.generation < generation else { continue }
          box.session = rebind(box.session)
          box.generation = generation
        }
      }
    }
  }

  /// The generation each live session is bound to, by conversation id (for tests and diagnostics).
  public var generations: [String: Int] {
    var all: [String: Int] = [:]
    for shard in shards {
      shard.lock.withLock { shard in
        for slot in shard.slots where !slot.id.isEmpty { all[slot.id] = slot.session?.generation }
      }
    }
    return all
  }

  /// Drops idle conversations everywhere; the sweeper calls it so that memory is returned even when no
  /// new conversation arrives.
  public func expire(now: UInt64 = MonotonicClock.nanoseconds()) {
    for shard in shards { shard.lock.withLock { $0.expire(now: now, ttl: ttlNanoseconds) } }
  }

  public var counts: Counts {
    var total = Counts()
    for shard in shards {
      let c = shard.lock.withLock { $0.counts }
      total.live += c.live
      total.evictedLRU += c.evictedLRU
      total.expired += c.expired
    }
    return total
  }

  private func shardIndex(_ id: String) -> Int {
    if shards.count == 1 { return 0 }
    var digest = ContentDigest()
    digest.add(id)
    return Int(digest.value % UInt64(shards.count))
  }
}

/// A conversation's session, boxed so that the table moves one reference instead of the whole value,
/// with the configuration generation it is bound to. Only touched under its shard's lock.
final class SessionBox: @unchecked Sendable {
  var session: SafetySession
  var generation: Int
  init(_ session: SafetySession, generation: Int) {
    self.session = session
    self.generation = generation
  }
}

/// A shard behind its own lock (`Mutex` cannot sit in an array by itself: it is not copyable).
final class ShardLock: Sendable {
  let lock: Mutex<Shard>
  init(_ shard: Shard) { lock = Mutex(shard) }
}

/// One shard: a dictionary from id to slot, and the slots in a doubly linked list, most recently used
/// first. Slots are reused, so after warm-up nothing is allocated but the id strings.
struct Shard {
  struct Slot {
    var id: String
    var session: SessionBox?
    var lastSeen: UInt64
    var newer: Int32
    var older: Int32
  }

  let capacity: Int
  var index: [String: Int32] = [:]
  var slots: [Slot] = []
  var free: [Int32] = []
  /// Most and least recently used slots; -1 when empty.
  var newest: Int32 = -1
  var oldest: Int32 = -1
  var counts = ConversationStore.Counts()

  init(capacity: Int) { self.capacity = capacity }

  /// The slot of `id`, made most recently used; a new one (evicting the oldest when full) if absent.
  mutating func slot(for id: String, now: UInt64, make: () -> SessionBox) -> Int {
    if let found = index[id] {
      unlink(found)
      pushNewest(found)
      slots[Int(found)].lastSeen = now
      return Int(found)
    }
    if index.count >= capacity, oldest >= 0 {
      remove(oldest)
      counts.evictedLRU += 1
    }
    let slot: Int32
    let fresh = Slot(id: id, session: make(), lastSeen: now, newer: -1, older: -1)
    if let reused = free.popLast() {
      slot = reused
      slots[Int(slot)] = fresh
    } else {
      slot = Int32(slots.count)
      slots.append(fresh)
    }
    index[id] = slot
    pushNewest(slot)
    counts.live = index.count
    return Int(slot)
  }

  /// Drops conversations idle for `ttl` or longer: they are all at the old end of the list.
  mutating func expire(now: UInt64, ttl: UInt64) {
    // `now` may be a little older than a lastSeen set by another thread: that conversation is not idle.
    while oldest >= 0, case let last = slots[Int(oldest)].lastSeen, now >= last, now - last >= ttl {
      remove(oldest)
      counts.expired += 1
    }
  }

  private mutating func remove(_ slot: Int32) {
    unlink(slot)
    index.removeValue(forKey: slots[Int(slot)].id)
    slots[Int(slot)].id = ""
    slots[Int(slot)].session = nil
    free.append(slot)
    counts.live = index.count
  }

  private mutating func unlink(_ slot: Int32) {
    let newer = slots[Int(slot)].newer
    let older = slots[Int(slot)].older
    if newer >= 0 { slots[Int(newer)].older = older } else { newest = older }
    if older >= 0 { slots[Int(older)].newer = newer } else { oldest = newer }
    slots[Int(slot)].newer = -1
    slots[Int(slot)].older = -1
  }

  private mutating func pushNewest(_ slot: Int32) {
    slots[Int(slot)].older = newest
    slots[Int(slot)].newer = -1
    if newest >= 0 { slots[Int(newest)].newer = slot }
    newest = slot
    if oldest < 0 { oldest = slot }
  }
}
