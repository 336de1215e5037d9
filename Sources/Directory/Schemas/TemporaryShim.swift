import SCIM
extension ResourceType { var hidesStoredAttributes: Bool { false } }
