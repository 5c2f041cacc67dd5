/// L2-regularised logistic regression over sparse vectors, trained by stochastic gradient descent
/// with AdaGrad step sizes and classes weighted to count equally. Small, dependency-free and
/// deterministic: the same examples, options and seed give the same weights on every machine.
public struct LogisticRegression: Sendable {
  public struct Options: Sendable, Hashable {
    public var epochs = 10
    public var learningRate: Float = 0.2
    public var l2: Float = 1e-5
    public var seed: UInt64 = 1
    /// Whether each corpus file's positives (and benign units) weigh the same in total, so that a
    /// small corpus (a few synthetic conversations) is not drowned by a large one.
    public var balanceSources = false

    public init(epochs: Int = 10, learningRate: Float = 0.2, l2: Float = 1e-5, seed: UInt64 = 1) {
      self.epochs = epochs
      self.learningRate = learningRate
      self.l2 = l2
      self.seed = seed
    }
  }

  public var weights: [Float]
  public var bias: Float = 0

  /// Trains on `examples` (those at `rows`) into `weightCount` weights.
  public init(examples: [TrainingExample], rows: [Int], weightCount: Int, options: Options) {
    weights = [Float](repeating: 0, count: weightCount)
    var squares = [Float](repeating: 0, count: weightCount)
    var biasSquares: Float = 0
    let positives = rows.reduce(0) { $0 + (examples[$1].isPositive ? 1 : 0) }
    let negatives = rows.count - positives
    // Each class weighs half of the total.
    let positiveWeight = positives > 0 ? Float(rows.count) / Float(2 * positives) : 0
    let negativeWeight = negatives > 0 ? Float(rows.count) / Float(2 * negatives) : 0
    // Per-source factors: every source with examples of a class gets the same share of that class.
    var sourceFactor: [String: (positive: Float, negative: Float)] = [:]
    if options.balanceSources {
      var counts: [String: (positive: Int, negative: Int)] = [:]
      for row in rows {
        var c = counts[examples[row].source] ?? (0, 0)
        if examples[row].isPositive { c.positive += 1 } else { c.negative += 1 }
        counts[examples[row].source] = c
      }
      let positiveSources = counts.values.count { $0.positive > 0 }
      let negativeSources = counts.values.count { $0.negative > 0 }
      for (source, c) in counts {
        sourceFactor[source] = (
          c.positive > 0 ? Float(positives) / Float(positiveSources * c.positive) : 0,
          c.negative > 0 ? Float(negatives) / Float(negativeSources * c.negative) : 0
        )
      }
    }
    var order = rows
    var random = SplitMix64(seed: options.seed)
    let rate = options.learningRate
    for _ in 0..<options.epochs {
      random.shuffle(&order)
      for row in order {
        let x = examples[row].vector
        var z = bias
        for (k, j) in x.indices.enumerated() { z += weights[Int(j)] * x.values[k] }
        let p = 1 / (1 + expf(-z))
        let y: Float = examples[row].isPositive ? 1 : 0
        var g = (p - y) * (examples[row].isPositive ? positiveWeight : negativeWeight)
        if let factor = sourceFactor[examples[row].source] {
          g *= examples[row].isPositive ? factor.positive : factor.negative
        }
        for (k, j) in x.indices.enumerated() {
          let i = Int(j)
          let grad = g * x.values[k] + options.l2 * weights[i]
          squares[i] += grad * grad
          weights[i] -= rate * grad / (squares[i].squareRoot() + 1e-6)
        }
        biasSquares += g * g
        bias -= rate * g / (biasSquares.squareRoot() + 1e-6)
      }
    }
  }

  /// The probability for one vector.
  public func probability(_ x: SparseVector) -> Float {
    var z = bias
    for (k, j) in x.indices.enumerated() { z += weights[Int(j)] * x.values[k] }
    return 1 / (1 + expf(-z))
  }
}

/// A small seeded generator (SplitMix64): shuffles are the same on every platform and release.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }

  /// Fisher–Yates with this generator (the standard library's `shuffle` may change between releases).
  public mutating func shuffle<T>(_ array: inout [T]) {
    guard array.count > 1 else { return }
    for i in stride(from: array.count - 1, to: 0, by: -1) {
      let j = Int(next() % UInt64(i + 1))
      array.swapAt(i, j)
    }
  }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif
