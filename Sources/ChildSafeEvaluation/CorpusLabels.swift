import ChildSafe

extension CorpusReader {
  /// The corpus with every message whose labels name a category the classifier does not know
  /// turned into an error at its line ("did you mean" when a known name is close), so that a typo
  /// such as "secrecey" is not evaluated as a new category with no recall. `known` is the names of
  /// the classifier's categories (built-in and declared with `@category`).
  public static func checkingLabels(_ corpus: Corpus, known: [String]) -> Corpus {
    let knownSet = Set(known)
    var result = corpus
    result.messages = []
    for message in corpus.messages {
      guard let unknown = message.labels.first(where: { !knownSet.contains($0.name) }) else {
        result.messages.append(message)
        continue
      }
      result.errors.append(
        ChildSafeError(
          .syntax,
          "message \(message.id): unknown label '\(unknown.name)'"
            + EditDistance.hint(for: unknown.name, among: known)
            + " (labels are the rules' category names; a new one needs an @category declaration in the rules)",
          at: message.origin))
    }
    return result
  }
}
