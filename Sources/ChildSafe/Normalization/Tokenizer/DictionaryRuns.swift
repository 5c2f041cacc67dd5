import CChildSafeICU

extension Tokenizer {
  /// Thai, Chinese, Japanese... segmented into words by ICU's dictionary-based word break iterator.
  mutating func dictionaryRun(_ start: Int, _ end: Int) {
    cost.add(4 * (end - start))
    guard tokens.segmentsDictionaryRuns else {
      tokens.hasUnsegmentedRuns = true
      emit(from: start, to: end, kind: .word, single: false)
      return
    }
    let capacity = 2 * (end - start)
    // UTF-16 for ICU, the folded index of each UTF-16 offset, and ICU's word spans: on the stack.
    let words: [(Int, Int)]? = withScratch(of: UInt16.self, capacity: capacity) { utf16 in
      withScratch(of: Int.self, capacity: capacity + 1) { scalarAt in
        withScratch(of: Int32.self, capacity: 2 * max(1, capacity)) { spans in
          var units = 0
          for k in start..<end {
            let after = Folding.appendUTF16(s[k], to: utf16, at: units)
            for u in units..<after { scalarAt[u] = k }
            units = after
          }
          scalarAt[units] = end
          let spanCapacity = 2 * max(1, units)
          let count = Int(csicu_words(utf16.baseAddress, Int32(units), spans.baseAddress, Int32(spanCapacity / 2)))
          if count <= 0 || count * 2 > spanCapacity { return nil }
          var out: [(Int, Int)] = []
          out.reserveCapacity(count)
          for w in 0..<count { out.append((scalarAt[Int(spans[2 * w])], scalarAt[Int(spans[2 * w + 1])])) }
          return out
        }
      }
    }
    guard let words else {
      emit(from: start, to: end, kind: .word, single: false)
      return
    }
    for (a, b) in words where a < b { emit(from: a, to: b, kind: .word, single: false) }
  }
}
