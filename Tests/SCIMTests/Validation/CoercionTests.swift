import Testing
@testable import SCIM

@Suite("Input coercions")
struct CoercionTests {
    @Test(arguments: [
        (JSONValue.bool(true), true as Bool?), (.bool(false), false), (.string("True"), true), (.string("FALSE"), false),
        (.string("true"), true), (.string("fAlSe"), false), (.string("yes"), nil), (.string("1"), nil), (.int(1), nil),
        (.null, nil), (.string(""), nil), (.string(" true"), nil),
    ])
    func booleans(value: JSONValue, expected: Bool?) {
        #expect(Coercion.boolean(value) == expected)
    }

    @Test func integers() {
        #expect(Coercion.integer(.int(5)) == 5)
        #expect(Coercion.integer(.decimal(5.0)) == 5)
        #expect(Coercion.integer(.decimal(5.5)) == nil)
        #expect(Coercion.integer(.decimal(1e300)) == nil)
        #expect(Coercion.integer(.string("5")) == nil)
    }
}
