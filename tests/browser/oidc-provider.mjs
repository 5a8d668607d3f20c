// A real OpenID Provider on loopback for the single sign-on browser tests (npm oidc-provider).
// Its development login form accepts any login name; the name is the person's email, and their
// groups are read from GROUPS_FILE at each sign-in, so a test can take someone out of a group.
// Usage: node oidc-provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI POST_LOGOUT_URI GROUPS_FILE
import Provider from 'oidc-provider';
import { readFileSync } from 'node:fs';

const [port, clientId, clientSecret, redirectUri, postLogoutUri, groupsFile] = process.argv.slice(2);
const groupsOf = (id) => JSON.parse(readFileSync(groupsFile, 'utf8'))[id] ?? [];

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [postLogoutUri],
    response_types: ['code'],
    grant_types: ['authorization_code'],
  }],
  scopes: ['openid', 'email', 'profile', 'groups'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['preferred_username'],
    groups: ['groups'],
  },
  // The claims go in the ID token, as Entra ID sends them, not only from the userinfo endpoint.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  cookies: { keys: ['redress-browser-test'] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: true, preferred_username: id, groups: groupsOf(id) };
      },
    };
  },
});
provider.listen(Number(port), '127.0.0.1', () => console.log(`oidc-provider listening on ${port}`));
