import Testing

@testable import ChildSafe

/// `except:` narrows the one `match:` line above it; `unless:` cancels the whole rule.
@Suite("except: lines")
struct ExceptLineTests {
  static let pack = """
    rule t.alone risk_check 0.6
      match: (u|you) alone
      except: leave (u|you) alone
      except: (u|you) alone (with|w) (ur|your) (mom|dad)
      match: home alone
      acts: alone

    """

  @Test func anExceptionStopsOnlyTheLineItFollows() throws {
    let engine = try TestPack.engine(Self.pack)
    #expect(try engine.classify("are you alone").ruleIDs == ["t.alone"])
    #expect(try engine.classify("ok ill leave you alone now").ruleIDs.isEmpty)
    #expect(try engine.classify("are u alone with ur mom").ruleIDs.isEmpty)
    // The other `match:` line still fires beside the excepted one; `unless:` would stop both.
    let both = try engine.classify("ill leave you alone, are you home alone?")
    #expect(both.ruleIDs == ["t.alone"])
    #expect(both.matches.first?.start == 29)
    #expect(both.matches.first?.end == 39)
    let unless = try TestPack.engine(
      "rule t.alone risk_check 0.6\n  match: (u|you) alone\n  match: home alone\n  unless: leave (u|you) alone\n  acts: alone\n")
    #expect(try unless.classify("ill leave you alone, are you home alone?").ruleIDs.isEmpty)
  }

  @Test func explainNamesTheException() throws {
    let engine = try TestPack.engine(Self.pack)
    let explanation = try engine.explain("ok ill leave you alone now")
    let evaluation = try #require(explanation.evaluations.first { $0.rule.id == "t.alone" })
    #expect(evaluation.conditionText == "leave (u|you) alone")
    #expect(evaluation.patternText == "(u|you) alone")
    // The outcome names the exception that stopped the line, not the line itself.
    #expect(evaluation.outcome == .cancelled(engine.compiled.rules[0].rule.exceptions[0].pattern.node))
  }

  @Test func exceptionsAreParsedWithTheLineTheyNarrow() {
    let set = TestPack.load([("t.rules", "@pack en\n" + Self.pack)])
    #expect(set.errors.isEmpty)
    let rule = set.rules[0]
    #expect(rule.matches.count == 2)
    #expect(rule.exceptions.map(\.match) == [0, 0])
    #expect(rule.exceptions.map(\.pattern.source) == ["leave (u|you) alone", "(u|you) alone (with|w) (ur|your) (mom|dad)"])
    #expect(rule.exceptions[0].pattern.location.line == 4)
  }

  @Test func anExceptionOutOfPlaceIsAnErrorSayingWhere() {
    func errors(_ body: String) -> [String] {
      TestPack.load([("t.rules", "@pack en\nrule x secrecy 0.5\n" + body)]).errors.map(\.description)
    }
    #expect(errors("  except: a\n  match: b\n") == [
      "grooming/t.rules:3:3: error: found 'except:' after the rule's header; expected 'except:' right after the 'match:' line it narrows"
    ])
    #expect(errors("  match: b\n  all: c\n  except: a\n") == [
      "grooming/t.rules:5:3: error: found 'except:' after 'all:'; expected 'except:' right after the 'match:' line it narrows"
    ])
    // An exception that matches whenever its line does leaves that line nothing to fire on.
    #expect(errors("  match: dont tell\n  except: tell\n  match: keep it secret\n") == [
      "grooming/t.rules:4:11: error: found 'except: tell' that matches whenever its 'match: dont tell' does, so that line can never fire; expected a narrower exception"
    ])
  }
}
