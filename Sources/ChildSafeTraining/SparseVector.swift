import ChildSafe

/// A text's features as the model reads them: distinct weight indices with values `Σ sign / √n`
/// over the `n` occurrences (exactly what ``LinearModel`` sums at inference).
public struct SparseVector: Sendable, Hashable {
  public var indices: [UInt32]
  public var values: [Float]

  public init(indices: [UInt32], values: [Float]) {
    self.indices = indices
    self.values = values
  }

  /// Merges occurrences (one or more messages' features) into one vector.
  public init<S: Sequence>(occurrences: S) where S.Element == HashedFeature {
    var sorted = Array(occurrences)
    let n = sorted.count
    sorted.sort { $0.index < $1.index }
    indices = []
    values = []
    indices.reserveCapacity(n)
    values.reserveCapacity(n)
    let scale = n > 0 ? 1 / Float(n).squareRoot() : 0
    for f in sorted {
      if let last = indices.last, last == f.index {
        values[values.count - 1] += f.sign * scale
      } else {
        indices.append(f.index)
        values.append(f.sign * scale)
      }
    }
  }
}

/// One labelled unit of training: a message, or a window of one sender's messages; `group` keeps
/// the windows of one conversation in the same cross-validation fold.
public struct TrainingExample: Sendable {
  public var vector: SparseVector
  public var isPositive: Bool
  /// The unit this example belongs to (a message or a conversation): its score is the highest of
  /// its examples', as the tracker flags a conversation when any window reaches the threshold.
  public var group: Int
  /// The corpus file it came from (for figures per source).
  public var source: String

  public init(vector: SparseVector, isPositive: Bool, group: Int, source: String) {
    self.vector = vector
    self.isPositive = isPositive
    self.group = group
    self.source = source
  }
}
