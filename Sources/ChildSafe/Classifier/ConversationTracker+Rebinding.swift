extension ConversationTracker {
  /// This conversation's state under another classifier, typically the same host's after its rules
  /// were reloaded: the next message is classified by `engine`'s rules and scored with its policy,
  /// and the evidence gathered so far is kept.
  ///
  /// Evidence is carried over by category name, so a new rule set may add, drop or reorder
  /// categories: a category the new rules no longer have loses its evidence; a new one starts at
  /// zero. The running verdict (score, risk, stages, flagged at, message count, risky sender) is
  /// kept as it was.
  public func rebinding(to engine: ClassifierEngine) -> ConversationTracker {
    var moved = ConversationTracker(engine: engine)
    moved.verdict = verdict
    moved.lastTime = lastTime
    // What was read of ages and roles does not depend on the rules.
    moved.ageQuestion = ageQuestion
    moved.toldUnattributed = toldUnattributed
    moved.ageAnswered = ageAnswered
    moved.modelActed = modelActed
    // A window's sums are the old model's: they carry over only to the same model.
    let sameModel = LinearModel.same(self.engine.models.conversation, engine.models.conversation)
    // Where each of the new engine's categories was in the old one (nil: it is new).
    var oldIndex: [Category: Int] = [:]
    for (k, category) in self.engine.categories.enumerated() { oldIndex[category] = k }
    let mapping = engine.categories.map { oldIndex[$0] }
    for (k, old) in mapping.enumerated() {
      if let old { moved.seen[k] = seen[old] }
    }
    moved.senders = senders.map { sender in
      var state = sender
      state.evidence = mapping.map { old in old.map { sender.evidence[$0] } ?? 0 }
      if !sameModel {
        state.modelWindow = []
        state.modelNext = 0
      }
      return state
    }
    // Scores follow the new policy and stages (they decide which sender is forgotten first).
    for k in moved.senders.indices {
      moved.senders[k].score = moved.score(of: moved.senders[k].evidence, factors: moved.weighing(of: k).factors)
    }
    return moved
  }
}
