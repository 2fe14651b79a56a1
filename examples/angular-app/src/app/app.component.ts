import { ChangeDetectionStrategy, Component } from '@angular/core';
import { ClassifyComponent } from './classify.component';
import { StreamComponent } from './stream.component';

@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ClassifyComponent, StreamComponent],
  template: `
    <h1>Reviews</h1>
    <nav>
      <button type="button" id="show-classify" (click)="page = 'classify'">Classify</button>
      <button type="button" id="show-stream" (click)="page = 'stream'">Generate</button>
    </nav>
    @if (page === 'classify') {
      <app-classify />
    } @else {
      <app-stream />
    }
  `,
})
export class AppComponent {
  page: 'classify' | 'stream' = 'classify';
}
