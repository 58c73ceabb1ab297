import Foundation

/// The token endpoint's answer.
package struct OAuthToken: Codable, Sendable, Equatable {
    package var accessToken: String?
    /// Seconds the token stays valid.
    package var expiresIn: Int?
    package var tokenType: String?
    package var scope: String?

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case expiresIn = "expires_in"
        case tokenType = "token_type"
        case scope
    }

    package init(
        accessToken: String? = nil, expiresIn: Int? = nil, tokenType: String? = nil,
        scope: String? = nil
    ) {
        self.accessToken = accessToken
        self.expiresIn = expiresIn
        self.tokenType = tokenType
        self.scope = scope
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        accessToken = container.lenientString(.accessToken)
        expiresIn = container.lenientInt(.expiresIn)
        tokenType = container.lenientString(.tokenType)
        scope = container.lenientString(.scope)
    }
}
