import SCIM

/// The `display` a client gave a membership when it was not simply the member's name, with
/// the member's name at that moment (both kept in the membership file). It is shown while
/// the member keeps that name; once the member is renamed, the new name shows in every
/// group on the next read, without a commit to any of them — as a user's `groups` follow
/// group renames.
struct MemberDisplay: Sendable, Hashable {
    var text: String
    /// The member's name when the display was given; nil in files written before it was
    /// kept (then the display is shown whatever the member is called now).
    var givenFor: String?

    /// The key of `givenFor` in a membership file.
    static let givenForKey = "memberName"

    /// What a member list shows for a member now named `name`.
    func shown(forMemberNamed name: String?) -> String? {
        guard let givenFor, let name else { return text }
        return givenFor == name ? text : name
    }

    /// The display fields of a membership file (nil: none given).
    static func read(_ bytes: [UInt8]) -> MemberDisplay? {
        guard let document = try? JSONValue.parse(bytes), let text = document["display"]?.stringValue else { return nil }
        return MemberDisplay(text: text, givenFor: document[givenForKey]?.stringValue)
    }
}
