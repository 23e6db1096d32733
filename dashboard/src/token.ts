/** The API token, kept for this tab only: closing the tab forgets it. */
const KEY = "baa-conductor.token"

export const readToken = (): string | null => sessionStorage.getItem(KEY)
export const saveToken = (token: string): void => sessionStorage.setItem(KEY, token)
export const forgetToken = (): void => sessionStorage.removeItem(KEY)
