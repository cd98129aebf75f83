import type { MessageBoxPort, MessageBoxRequest } from '../../../main/account/accountRemovalDialog';

/**
 * Stands in for Electron's native message box (no Electron binary runs here): records each box
 * the user was shown and clicks the button labelled `answer`. After `holdOpen()`, boxes stay up
 * until `answerNow()`, as a user who has not decided yet.
 */
export class FakeMessageBox implements MessageBoxPort {
  readonly shown: MessageBoxRequest[] = [];
  answer = '';
  private holding = false;
  private readonly open: (() => void)[] = [];

  show(request: MessageBoxRequest): Promise<number> {
    this.shown.push(request);
    return new Promise((resolve, reject) => {
      const click = () => {
        const index = request.buttons.indexOf(this.answer);
        if (index < 0) reject(new Error(`the box has no button "${this.answer}"`));
        else resolve(index);
      };
      if (this.holding) this.open.push(click);
      else click();
    });
  }

  holdOpen(): void {
    this.holding = true;
  }

  /** The user clicks `answer` on every box still up; later boxes are answered at once. */
  answerNow(): void {
    this.holding = false;
    for (const click of this.open.splice(0)) click();
  }
}
