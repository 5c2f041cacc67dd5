extension SafetySession {
  /// This conversation under another engine, typically the one built when a host reloads its rules,
  /// lists or policy: the next message is classified, and its interventions worded, by `engine`,
  /// while the conversation's evidence (see ``ConversationTracker/rebinding(to:)``) and its rate
  /// limiting carry over. A host that holds sessions across a reload rebinds them so that a rule
  /// added in a hurry reaches conversations that are already going.
  ///
  /// The rebound session shares this one's intervention handler and rate-limit state (when both
  /// engines limit the same way; otherwise the state is copied under the new limits): keep using
  /// only the returned session.
  public func rebinding(to engine: SafetyEngine) -> SafetySession {
    let dispatcher: InterventionDispatcher
    if engine.rateLimit == self.dispatcher.rateLimit {
      dispatcher = self.dispatcher
    } else {
      dispatcher = InterventionDispatcher(handler: self.dispatcher.handler, rateLimit: engine.rateLimit)
      let state = self.dispatcher.state.withLock { $0 }
      dispatcher.state.withLock { $0 = state }
    }
    return SafetySession(engine: engine, tracker: tracker.rebinding(to: engine.classifier), dispatcher: dispatcher)
  }

  init(engine: SafetyEngine, tracker: ConversationTracker, dispatcher: InterventionDispatcher) {
    self.engine = engine
    self.tracker = tracker
    self.dispatcher = dispatcher
  }
}
