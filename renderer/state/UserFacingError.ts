/**
 * An error whose message is a sentence written for the person using the app, so screens may show
 * it as it is. Every other error's message is for developers and stays in the console.
 */
export class UserFacingError extends Error {
  constructor(sentence: string) {
    super(sentence);
    this.name = 'UserFacingError';
  }
}
