// docs/policy.md, "Swift API": its two snippets after the stand-in below, compiled by
// scripts/tests.d/doc-snippets.sh and run in Rules/, where family.policy is.
import Foundation

let text = try String(contentsOfFile: "family.policy", encoding: .utf8)  // a policy file's contents

import ChildSafe

let teen = AgeDefaults.settings(forAge: 14)            // nil or negative: unknown age
print(teen.json.prettyPrinted())
let unknown = AgeDefaults.settings(forAge: nil)         // band "13-15", ageAssured false
let band = AgeDefaults.settings(for: .approachingAdulthood)   // AgeBand(name: "16-17")
let byBirth = try AgeDefaults.settings(
  birthYear: 2012, birthMonth: 2, birthDay: 29, onYear: 2025, month: 3, day: 1)  // 13-15
let categories = AgeDefaults.blockedCategories(for: .transition)

let policy = try FamilyPolicy.load(path: "family.policy")   // throws the first error; never half-applied
let sam = try policy.effectiveSettings(forChild: "Sam")
print(sam.settings.json.prettyPrinted())   // SafetySettings after the changes
print(sam.loosened)                        // ["profile_visibility", "blocked_categories", ...]
print(sam.overridden)                      // the locked ones loosened with "!"
print(sam.blockedDomains, sam.allowedDomains)
print(sam.locale ?? "-", sam.country ?? "-", sam.signposts.map(\.name))  // the child's own, else the family's
print(policy.locale ?? "-", policy.country ?? "-", policy.signposts.map(\.name))  // family-wide [PolicySignpost]
let problems = FamilyPolicy.lint(text, file: "family.policy")  // every error and warning

let configuration = sam.interventionConfiguration(base: InterventionConfiguration())
// or sam.interventionSignposts: [SignpostService: Signpost], one per service
