/// Confusion counts of a binary decision, and the metrics derived from them.
///
/// A metric whose denominator is zero is undefined and is nil (JSON `null`): precision with no
/// predicted positives, recall with no actual positives. F-scores are nil when precision or recall is,
/// and 0 when both are 0.
public struct Confusion: Sendable, Hashable {
  public var tp = 0
  public var fp = 0
  public var fn = 0
  public var tn = 0

  public init(tp: Int = 0, fp: Int = 0, fn: Int = 0, tn: Int = 0) {
    self.tp = tp
    self.fp = fp
    self.fn = fn
    self.tn = tn
  }

  /// Counts one item.
  public mutating func add(actual: Bool, predicted: Bool) {
    switch (actual, predicted) {
    case (true, true): tp += 1
    case (false, true): fp += 1
    case (true, false): fn += 1
    case (false, false): tn += 1
    }
  }

  public static func + (a: Confusion, b: Confusion) -> Confusion {
    Confusion(tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn, tn: a.tn + b.tn)
  }

  public var total: Int { tp + fp + fn + tn }
  /// Actual positives.
  public var support: Int { tp + fn }

  public var precision: Double? { Confusion.ratio(tp, tp + fp) }
  public var recall: Double? { Confusion.ratio(tp, tp + fn) }
  /// Share of actual negatives predicted positive.
  public var falseAlarmRate: Double? { Confusion.ratio(fp, fp + tn) }
  public var f1: Double? { fScore(beta: 1) }
  /// Weighs precision twice as much as recall (the PAN 2012 grooming task's measure).
  public var f05: Double? { fScore(beta: 0.5) }

  public func fScore(beta: Double) -> Double? {
    guard let p = precision, let r = recall else { return nil }
    return Confusion.fScore(precision: p, recall: r, beta: beta)
  }

  public static func fScore(precision p: Double, recall r: Double, beta: Double) -> Double {
    let b2 = beta * beta
    let denominator = b2 * p + r
    return denominator == 0 ? 0 : (1 + b2) * p * r / denominator
  }

  static func ratio(_ numerator: Int, _ denominator: Int) -> Double? {
    denominator == 0 ? nil : Double(numerator) / Double(denominator)
  }
}

/// Order statistics used for detection latency.
public enum Quantiles {
  /// The median: the middle value, or the mean of the two middle values; nil when empty.
  public static func median(_ values: [Double]) -> Double? {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return nil }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }

  /// The nearest-rank percentile: the smallest value with at least `p` percent of values at or below it;
  /// nil when empty. Always one of the values (a latency of whole messages stays whole).
  public static func percentile(_ values: [Double], _ p: Int) -> Double? {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return nil }
    // Integer arithmetic: 0.9 * 10 in floating point is 9.000000000000002, which would round up to 10.
    let rank = (p * sorted.count + 99) / 100
    return sorted[min(max(rank, 1), sorted.count) - 1]
  }
}
